// Messages between the main process and the engine's utility process.

import type { ApiChannel } from '../api/channels.js';
import type { ApiErrorView, TrainProgress } from '../api/types.js';

export type EngineRequest =
  | { type: 'call'; id: number; channel: ApiChannel; request: unknown }
  | { type: 'cancel'; id: number };

export type EngineReply =
  | { type: 'progress'; id: number; progress: TrainProgress }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: ApiErrorView }
  /** The open project's folder changed, so the main process serves the right files. */
  | { type: 'project-dir'; dir: string | undefined };
