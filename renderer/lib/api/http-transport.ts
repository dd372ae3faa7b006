// Browser build transport: the app API over `edge-trainer serve`. Calls are POST requests carrying
// the session token; responses are NDJSON streams of progress lines ending in a result or error.

import type { ApiChannel, ApiRequest, ApiResult } from '../../../electron/api/channels.js';
import { decodeJson, encodeJson } from '../../../electron/api/codec.js';
import type { ApiErrorView, TrainProgress } from '../../../electron/api/types.js';
import type { CallOptions, Transport } from '../../../electron/api/verbs.js';
import { ApiError } from './api-error.js';

export const TOKEN_HEADER = 'x-edge-trainer-token';
const TOKEN_STORAGE_KEY = 'edge-trainer.token';

type StreamLine =
  | { type: 'progress'; progress: TrainProgress }
  | { type: 'result'; result: unknown }
  | { type: 'error'; error: ApiErrorView };

/**
 * Reads the session token from the URL fragment (#token=...), which the server printed, keeps it in
 * sessionStorage for reloads, and removes it from the address bar.
 */
export function takeSessionToken(location: Location, storage: Storage, history: History): string | undefined {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const fromUrl = fragment.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    history.replaceState(null, '', location.pathname + location.search);
    return fromUrl;
  }
  return storage.getItem(TOKEN_STORAGE_KEY) ?? undefined;
}

export function storeSessionToken(storage: Storage, token: string): void {
  storage.setItem(TOKEN_STORAGE_KEY, token);
}

async function errorFromResponse(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: ApiErrorView };
    if (body.error) return new ApiError(body.error);
  } catch {
    // Not JSON: fall through to the status line.
  }
  return new ApiError({ code: response.status === 401 ? 'unauthorized' : 'network', message: `HTTP ${response.status} ${response.statusText}` });
}

export function createHttpTransport(baseUrl: string, token: string): Transport {
  const call = async <C extends ApiChannel>(channel: C, request: ApiRequest<C>, options: CallOptions = {}): Promise<ApiResult<C>> => {
    let response: Response;
    try {
      response = await fetch(new URL(`api/call/${encodeURIComponent(channel)}`, baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: encodeJson({ request, jobId: options.jobId }),
      });
    } catch (error) {
      throw new ApiError({ code: 'network', message: (error as Error).message });
    }
    if (!response.ok || response.body === null) throw await errorFromResponse(response);

    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (value !== undefined) buffered += value;
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = decodeJson(buffered.slice(0, newline)) as StreamLine;
        buffered = buffered.slice(newline + 1);
        if (line.type === 'progress') options.onProgress?.(line.progress);
        else if (line.type === 'result') return line.result as ApiResult<C>;
        else throw new ApiError(line.error);
        newline = buffered.indexOf('\n');
      }
      if (done) throw new ApiError({ code: 'network', message: `The server closed the ${channel} response without a result.` });
    }
  };

  const cancelJob = async (jobId: string): Promise<void> => {
    await fetch(new URL('api/cancel', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
      body: JSON.stringify({ jobId }),
    });
  };

  const projectFileUrl = (relativeFile: string): string => {
    const url = new URL(`files/${relativeFile.split('/').map(encodeURIComponent).join('/')}`, baseUrl);
    url.searchParams.set('token', token);
    return url.toString();
  };

  return { call, cancelJob, projectFileUrl };
}

/** Exchanges a classroom join code for the session token (serve --lan). */
export async function joinSession(baseUrl: string, code: string): Promise<string> {
  const response = await fetch(new URL('api/join', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  if (!response.ok) throw await errorFromResponse(response);
  return ((await response.json()) as { token: string }).token;
}
