// The main process's side of the engine utility process: forwards calls, routes progress to the
// caller, cancels by job, and restarts the process if it dies.

import { utilityProcess, type UtilityProcess } from 'electron';
import type { ApiChannel } from '../api/channels.js';
import type { ApiErrorView, TrainProgress } from '../api/types.js';
import type { EngineReply, EngineRequest } from '../engine/protocol.js';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: ApiErrorView) => void;
  onProgress?: (progress: TrainProgress) => void;
}

export class EngineClient {
  readonly #entry: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #pending = new Map<number, Pending>();
  #child: UtilityProcess | undefined;
  #nextId = 1;

  /** Folder of the project open in the engine, for the app://project protocol. */
  projectDir: string | undefined;

  constructor(entry: string, env: NodeJS.ProcessEnv) {
    this.#entry = entry;
    this.#env = env;
  }

  #process(): UtilityProcess {
    if (this.#child !== undefined) return this.#child;
    const child = utilityProcess.fork(this.#entry, [], { serviceName: 'Edge Trainer engine', env: this.#env, stdio: 'inherit' });
    child.on('message', (reply: EngineReply) => this.#onReply(reply));
    child.on('exit', (code) => {
      this.#child = undefined;
      this.projectDir = undefined;
      for (const pending of this.#pending.values()) {
        pending.reject({ code: 'internal', message: `The engine process stopped (exit code ${code}).`, hint: 'Try again; the engine restarts on the next request.' });
      }
      this.#pending.clear();
    });
    this.#child = child;
    return child;
  }

  #onReply(reply: EngineReply): void {
    if (reply.type === 'project-dir') {
      this.projectDir = reply.dir;
      return;
    }
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    if (reply.type === 'progress') {
      pending.onProgress?.(reply.progress);
      return;
    }
    this.#pending.delete(reply.id);
    if (reply.type === 'result') pending.resolve(reply.result);
    else pending.reject(reply.error);
  }

  /** Sends a call; returns its id (for cancel) and the result. */
  call(channel: ApiChannel, request: unknown, onProgress?: (progress: TrainProgress) => void): { id: number; result: Promise<unknown> } {
    const id = this.#nextId++;
    const result = new Promise<unknown>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress });
    });
    const message: EngineRequest = { type: 'call', id, channel, request };
    this.#process().postMessage(message);
    return { id, result };
  }

  cancel(id: number): void {
    const message: EngineRequest = { type: 'cancel', id };
    this.#child?.postMessage(message);
  }

  stop(): void {
    this.#child?.kill();
  }
}
