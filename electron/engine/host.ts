// Entry of Electron's utility process: runs the app service off the main and renderer threads, so
// training and prediction never freeze the window. Started by main/engine-client.ts with the
// configuration and workspace folders as environment variables.

import { toErrorView, type ApiHandlers } from '../api/handlers.js';
import { AppService } from '../service/app-service.js';
import type { EngineReply, EngineRequest } from './protocol.js';

interface ParentPort {
  on(event: 'message', listener: (message: { data: EngineRequest }) => void): void;
  postMessage(message: EngineReply): void;
}

const parentPort = (process as unknown as { parentPort: ParentPort }).parentPort;

const service = new AppService({
  version: process.env.EDGE_TRAINER_APP_VERSION ?? '0.0.0',
  transport: 'electron',
  configDir: process.env.EDGE_TRAINER_CONFIG_DIR ?? '.',
  workspaceDir: process.env.EDGE_TRAINER_WORKSPACE ?? '.',
});
const handlers: ApiHandlers = service.handlers();
const jobs = new Map<number, AbortController>();
let lastProjectDir: string | undefined;

async function call(message: Extract<EngineRequest, { type: 'call' }>): Promise<void> {
  const controller = new AbortController();
  jobs.set(message.id, controller);
  const handler = handlers[message.channel] as (request: unknown, context: Parameters<ApiHandlers['train:start']>[1]) => Promise<unknown>;
  try {
    const result = await handler(message.request, {
      signal: controller.signal,
      onProgress: (progress) => parentPort.postMessage({ type: 'progress', id: message.id, progress }),
    });
    parentPort.postMessage({ type: 'result', id: message.id, result });
  } catch (error) {
    parentPort.postMessage({ type: 'error', id: message.id, error: toErrorView(error) });
  } finally {
    jobs.delete(message.id);
    if (service.projectDir !== lastProjectDir) {
      lastProjectDir = service.projectDir;
      parentPort.postMessage({ type: 'project-dir', dir: lastProjectDir });
    }
  }
}

parentPort.on('message', ({ data }) => {
  if (data.type === 'call') void call(data);
  else jobs.get(data.id)?.abort();
});
