// Serves the built renderer (vite build output) and files of the open project, with content types
// and without ever leaving the given root folder.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.bmp': 'image/bmp',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.tflite': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.c': 'text/plain; charset=utf-8',
  '.h': 'text/plain; charset=utf-8',
  '.ino': 'text/plain; charset=utf-8',
  '.wav': 'audio/wav',
});

/** Resolves `relative` inside `root`, or returns undefined when it would escape the root. */
export function resolveInside(root: string, relative: string): string | undefined {
  const resolved = path.resolve(root, '.' + path.posix.normalize('/' + relative));
  const rootWithSep = path.resolve(root) + path.sep;
  return resolved.startsWith(rootWithSep) ? resolved : undefined;
}

/** Streams a file with its content type, or responds 404 when it is missing or not a file. */
export async function sendFile(response: ServerResponse, file: string, headers: Record<string, string> = {}): Promise<void> {
  let info;
  try {
    info = await stat(file);
  } catch {
    info = undefined;
  }
  if (!info?.isFile()) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
    return;
  }
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  response.writeHead(200, { 'content-type': type, 'content-length': String(info.size), ...headers });
  createReadStream(file).pipe(response);
}
