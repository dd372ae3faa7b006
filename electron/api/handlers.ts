// The engine side's contract: one async handler per channel. Both transports (Electron IPC in the
// utility process, HTTP in `edge-trainer serve`) dispatch to the same table.

import type { ApiChannel, ApiRequest, ApiResult } from './channels.js';
import type { ApiErrorView, TrainProgress } from './types.js';

export interface JobContext {
  /** Aborted when the renderer cancels the job or disconnects. */
  signal: AbortSignal;
  onProgress: (progress: TrainProgress) => void;
}

export type ApiHandlers = {
  readonly [C in ApiChannel]: (request: ApiRequest<C>, context: JobContext) => Promise<ApiResult<C>>;
};

interface CodedError {
  code?: unknown;
  message?: unknown;
  path?: unknown;
  hint?: unknown;
  key?: unknown;
  params?: unknown;
}

/** Keeps the string and number values of an error's message parameters, the only kinds messages use. */
function messageParams(params: unknown): Record<string, string | number> | undefined {
  if (params === null || typeof params !== 'object') return undefined;
  const kept: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string' || typeof value === 'number') kept[name] = value;
  }
  return kept;
}

/** Turns anything thrown by a handler into the error shape the renderer translates. */
export function toErrorView(error: unknown): ApiErrorView {
  if (error !== null && typeof error === 'object') {
    const coded = error as CodedError;
    const view: ApiErrorView = {
      code: typeof coded.code === 'string' ? coded.code : 'internal',
      message: typeof coded.message === 'string' ? coded.message : String(error),
    };
    if (typeof coded.path === 'string') view.path = coded.path;
    if (typeof coded.hint === 'string') view.hint = coded.hint;
    if (typeof coded.key === 'string') {
      view.key = coded.key;
      view.params = messageParams(coded.params) ?? {};
    }
    if ((error as Error).name === 'AbortError') view.code = 'cancelled';
    return view;
  }
  return { code: 'internal', message: String(error) };
}
