// A training run seen from the renderer: settings being edited, live progress with time left,
// per-epoch curves, and the result with its evaluation.

import {
  DEFAULT_TRAIN_SETTINGS,
  type EpochLogs,
  type ModelReportView,
  type TrainProgress,
  type TrainResultView,
  type TrainSettings,
} from '../../../electron/api/types.js';
import type { EdgeTrainerApi } from '../api/client.js';
import type { ErrorState } from './errors.svelte.js';
import type { ProjectState } from './project.svelte.js';

function newJobId(): string {
  return globalThis.crypto.randomUUID();
}

/** Seconds left in the current stage, extrapolated from its progress so far, or undefined early on. */
export function estimateSecondsLeft(progress: TrainProgress, stageStartedMs: number, nowMs: number): number | undefined {
  if (progress.done <= 0 || progress.total <= 0) return undefined;
  const elapsed = (nowMs - stageStartedMs) / 1000;
  return (elapsed / progress.done) * (progress.total - progress.done);
}

export class TrainingState {
  readonly #api: EdgeTrainerApi;
  readonly #project: ProjectState;
  readonly #errors: ErrorState;
  #jobId: string | undefined;
  #stageStartedMs = 0;

  settings = $state<TrainSettings>({ ...DEFAULT_TRAIN_SETTINGS });
  running = $state(false);
  cancelling = $state(false);
  progress = $state.raw<TrainProgress | undefined>(undefined);
  secondsLeft = $state<number | undefined>(undefined);
  history = $state.raw<EpochLogs[]>([]);
  result = $state.raw<TrainResultView | undefined>(undefined);
  /** Report of the newest model read back from the project, shown until a new run finishes. */
  savedReport = $state.raw<ModelReportView | undefined>(undefined);

  /** Settings differ from the ones stored in the project. */
  settingsChanged = $derived.by(() => {
    const stored = this.#project.project?.settings;
    if (stored === undefined) return false;
    return (Object.keys(stored) as (keyof TrainSettings)[]).some((key) => stored[key] !== this.settings[key]);
  });

  fraction = $derived(this.progress && this.progress.total > 0 ? this.progress.done / this.progress.total : 0);

  constructor(api: EdgeTrainerApi, project: ProjectState, errors: ErrorState) {
    this.#api = api;
    this.#project = project;
    this.#errors = errors;
  }

  /** Copies the project's stored settings into the form and loads its newest model's report. */
  async loadFromProject(): Promise<void> {
    const stored = this.#project.project?.settings;
    if (stored !== undefined) this.settings = { ...stored };
    this.result = undefined;
    this.history = [];
    this.progress = undefined;
    this.savedReport = undefined;
    try {
      this.savedReport = (await this.#api.latestModelReport()) ?? undefined;
      this.history = this.savedReport?.history ?? [];
    } catch (error) {
      this.#errors.report(error);
    }
  }

  #onProgress = (progress: TrainProgress): void => {
    if (this.progress?.stage !== progress.stage) this.#stageStartedMs = Date.now();
    this.progress = progress;
    this.secondsLeft = estimateSecondsLeft(progress, this.#stageStartedMs, Date.now());
    if (progress.stage === 'training' && progress.logs !== undefined && progress.epoch !== undefined) {
      const next = this.history.slice(0, progress.epoch - 1);
      next[progress.epoch - 1] = progress.logs;
      this.history = next;
    }
  };

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.cancelling = false;
    this.history = [];
    this.result = undefined;
    this.progress = undefined;
    this.secondsLeft = undefined;
    this.#jobId = newJobId();
    this.#stageStartedMs = Date.now();
    try {
      const result = await this.#api.train($state.snapshot(this.settings), { jobId: this.#jobId, onProgress: this.#onProgress });
      this.result = result;
      this.savedReport = undefined;
      this.history = result.history;
      this.#project.replace(result.project);
    } catch (error) {
      this.#errors.report(error);
    } finally {
      this.running = false;
      this.cancelling = false;
      this.#jobId = undefined;
    }
  }

  async cancel(): Promise<void> {
    if (this.#jobId === undefined) return;
    this.cancelling = true;
    await this.#api.cancelJob(this.#jobId);
  }
}
