// HTTP transport of the app API for `edge-trainer serve`: the built renderer as static files,
// POST /api/call/<channel> dispatching to the same handler table as Electron's IPC, project files
// for <img> tags, and cancellation. Responses of /api/call are NDJSON streams: zero or more
// {"type":"progress"} lines, then one {"type":"result"} or {"type":"error"} line. Server-sent
// events would do the same, but EventSource cannot send the token header, and fetch streaming can.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { isApiChannel, type ApiChannel } from '../api/channels.js';
import { decodeJson, encodeJson } from '../api/codec.js';
import { toErrorView, type ApiHandlers } from '../api/handlers.js';
import { CONTENT_SECURITY_POLICY } from '../main/window-options.js';
import {
  createJoinCode,
  createSessionToken,
  isHostAllowed,
  isOriginAllowed,
  JoinGuard,
  TOKEN_HEADER,
  tokensEqual,
} from './security.js';
import { resolveInside, sendFile } from './static-files.js';

/** Largest request body accepted, in bytes: a folder of a few hundred photos as base64 JSON. */
export const MAX_BODY_BYTES = 512 * 1024 * 1024;

const LOOPBACK = '127.0.0.1';

export interface ServeOptions {
  handlers: ApiHandlers;
  /** Folder with the built renderer (index.html and assets). */
  rendererDir: string;
  /** Folder of the open project, for GET /files/...; undefined while none is open. */
  projectDir: () => string | undefined;
  /** 0 picks a free port. */
  port?: number;
  /** Listen on every interface and require a join code from other machines (classroom use). */
  lan?: boolean;
  /** Address to listen on; default 0.0.0.0 with `lan`, else 127.0.0.1. */
  listenHost?: string;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface RunningServer {
  url: string;
  /** URL with the session token, for the person who started the server. */
  urlWithToken: string;
  token: string;
  /** Join code for other machines, only with `lan`. */
  joinCode?: string;
  port: number;
  close: () => Promise<void>;
}

const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'x-frame-options': 'DENY',
});

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(encodeJson(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error(`Request body larger than ${MAX_BODY_BYTES} bytes.`), { code: 'too_large' });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function lanAddresses(): string[] {
  const addresses: string[] = [];
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.family === 'IPv4' && !entry.internal) addresses.push(entry.address);
    }
  }
  return addresses;
}

/** Starts the server; resolves once it listens. */
export async function startHttpServer(options: ServeOptions): Promise<RunningServer> {
  const log = options.log ?? (() => undefined);
  const token = createSessionToken();
  const joinCode = options.lan ? createJoinCode() : undefined;
  const joinGuard = joinCode === undefined ? undefined : new JoinGuard(joinCode);
  const jobs = new Map<string, AbortController>();
  let allowedHosts: string[] = [];
  let ownOrigins: string[] = [];

  const isAuthorized = (request: IncomingMessage, url: URL): boolean => {
    const header = request.headers[TOKEN_HEADER];
    const supplied = typeof header === 'string' ? header : (url.searchParams.get('token') ?? undefined);
    return tokensEqual(token, supplied);
  };

  async function handleCall(channel: ApiChannel, request: IncomingMessage, response: ServerResponse): Promise<void> {
    let payload: { request?: unknown; jobId?: unknown };
    try {
      payload = (decodeJson(await readBody(request)) ?? {}) as typeof payload;
    } catch (error) {
      sendJson(response, 400, { type: 'error', error: { code: 'invalid_argument', message: `Invalid request body: ${(error as Error).message}` } });
      return;
    }
    const controller = new AbortController();
    const jobId = typeof payload.jobId === 'string' ? payload.jobId : undefined;
    if (jobId !== undefined) jobs.set(jobId, controller);
    // A closed connection before the result means the page went away: stop the work.
    response.on('close', () => {
      if (!response.writableEnded) controller.abort();
    });

    response.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
    const writeLine = (line: unknown) => {
      if (!response.writableEnded) response.write(encodeJson(line) + '\n');
    };
    const handler = options.handlers[channel] as (request: unknown, context: Parameters<ApiHandlers[ApiChannel]>[1]) => Promise<unknown>;
    try {
      const result = await handler(payload.request ?? {}, {
        signal: controller.signal,
        onProgress: (progress) => writeLine({ type: 'progress', progress }),
      });
      writeLine({ type: 'result', result });
    } catch (error) {
      const view = toErrorView(error);
      if (view.code === 'internal') log('error', `${channel} failed: ${(error as Error)?.stack ?? String(error)}`);
      writeLine({ type: 'error', error: view });
    } finally {
      if (jobId !== undefined) jobs.delete(jobId);
      response.end();
    }
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Concatenated, not resolved against a base, so a path such as //host/x stays a path.
    const url = new URL(`http://localhost${request.url ?? '/'}`);
    if (!isHostAllowed(request.headers.host, allowedHosts)) {
      sendJson(response, 421, { error: { code: 'forbidden', message: `Unknown Host header "${request.headers.host ?? ''}".` } });
      return;
    }
    const origin = request.headers.origin;
    if (!isOriginAllowed(origin, ownOrigins)) {
      log('warn', `rejected a request from origin ${origin}`);
      sendJson(response, 403, { error: { code: 'forbidden', message: `Requests from origin ${origin} are not allowed.` } });
      return;
    }

    if (request.method === 'POST' && url.pathname === '/api/join') {
      if (joinGuard === undefined) {
        sendJson(response, 404, { error: { code: 'not_found', message: 'This session was not started with --lan.' } });
        return;
      }
      const body = decodeJson(await readBody(request)) as { code?: unknown } | null;
      const verdict = joinGuard.check(request.socket.remoteAddress ?? 'unknown', body?.code);
      if (verdict === 'ok') sendJson(response, 200, { token });
      else sendJson(response, verdict === 'locked' ? 429 : 403, { error: { code: verdict === 'locked' ? 'join_locked' : 'join_wrong', message: 'Wrong join code.' } });
      return;
    }

    if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/files/')) {
      if (!isAuthorized(request, url)) {
        sendJson(response, 401, { error: { code: 'unauthorized', message: 'Missing or wrong session token. Open the URL that `edge-trainer serve` printed.' } });
        return;
      }
    }

    if (request.method === 'POST' && url.pathname.startsWith('/api/call/')) {
      const channel = decodeURIComponent(url.pathname.slice('/api/call/'.length));
      if (!isApiChannel(channel)) {
        sendJson(response, 404, { error: { code: 'not_found', message: `Unknown API channel "${channel}".` } });
        return;
      }
      await handleCall(channel, request, response);
      return;
    }
    if (request.method === 'POST' && url.pathname === '/api/cancel') {
      const body = decodeJson(await readBody(request)) as { jobId?: unknown } | null;
      const job = typeof body?.jobId === 'string' ? jobs.get(body.jobId) : undefined;
      job?.abort();
      sendJson(response, 200, { cancelled: job !== undefined });
      return;
    }
    if (request.method === 'GET' && url.pathname.startsWith('/files/')) {
      const projectDir = options.projectDir();
      const file = projectDir === undefined ? undefined : resolveInside(projectDir, decodeURIComponent(url.pathname.slice('/files/'.length)));
      if (file === undefined) {
        sendJson(response, 404, { error: { code: 'not_found', message: 'No such project file.' } });
        return;
      }
      const download: Record<string, string> = url.searchParams.get('download') === '1' ? { 'content-disposition': `attachment; filename="${path.basename(file)}"` } : {};
      await sendFile(response, file, { 'cache-control': 'no-store', ...download });
      return;
    }
    if (request.method === 'GET' || request.method === 'HEAD') {
      const relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname);
      const file = resolveInside(options.rendererDir, relative);
      const isAsset = file !== undefined && path.extname(file) !== '';
      await sendFile(response, isAsset ? file : path.join(options.rendererDir, 'index.html'), SECURITY_HEADERS);
      return;
    }
    sendJson(response, 405, { error: { code: 'invalid_argument', message: `Method ${request.method} not allowed on ${url.pathname}.` } });
  }

  const server: Server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      log('error', `request ${request.method} ${request.url} failed: ${(error as Error)?.message ?? String(error)}`);
      if (!response.headersSent) sendJson(response, 500, { error: toErrorView(error) });
      else response.end();
    });
  });

  const host = options.listenHost ?? (options.lan ? '0.0.0.0' : LOOPBACK);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostNames = [LOOPBACK, 'localhost', ...(options.lan ? lanAddresses() : [])];
  allowedHosts = hostNames.map((name) => `${name}:${port}`);
  ownOrigins = allowedHosts.map((name) => `http://${name}`);
  const url = `http://${LOOPBACK}:${port}/`;
  log('info', `listening on ${host}:${port}${options.lan ? ' (LAN, join code required)' : ''}`);

  return {
    url,
    urlWithToken: `${url}#token=${token}`,
    token,
    joinCode,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const job of jobs.values()) job.abort();
        server.closeAllConnections();
        server.close(() => resolve());
        log('info', 'stopped');
      }),
  };
}
