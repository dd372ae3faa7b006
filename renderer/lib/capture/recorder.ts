// Timing of a webcam recording: an optional countdown, then frames at a fixed rate until the
// person releases the button or, with a duration, until fps x duration frames are taken.

export interface RecordSettings {
  /** Frames per second while recording. */
  fps: number;
  /** Countdown before the first frame, in seconds (only for timed recording). */
  delaySeconds: number;
  /** Length of a timed recording in seconds; 0 means record while the button is held. */
  durationSeconds: number;
}

export const DEFAULT_RECORD_SETTINGS: Readonly<RecordSettings> = Object.freeze({ fps: 10, delaySeconds: 0, durationSeconds: 0 });

/** Frames a timed recording takes, or undefined for hold-to-record. */
export function plannedFrameCount(settings: RecordSettings): number | undefined {
  return settings.durationSeconds > 0 ? Math.max(1, Math.round(settings.fps * settings.durationSeconds)) : undefined;
}

export interface RecordingHandle {
  /** Ends the recording; resolves when the last frame is handed over. */
  stop: () => Promise<void>;
  /** Resolves when the recording ends by itself or after stop(). */
  done: Promise<void>;
}

export interface RecordCallbacks {
  onCountdown?: (secondsLeft: number) => void;
  /** Takes one frame; recording waits for it, so a slow encoder lowers the rate instead of piling up. */
  onFrame: () => Promise<void>;
  onStart?: () => void;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

export function startRecording(settings: RecordSettings, callbacks: RecordCallbacks): RecordingHandle {
  const controller = new AbortController();
  const frameIntervalMs = 1000 / Math.max(1, settings.fps);
  const target = plannedFrameCount(settings);

  const run = async () => {
    if (target !== undefined) {
      for (let left = Math.ceil(settings.delaySeconds); left > 0 && !controller.signal.aborted; left--) {
        callbacks.onCountdown?.(left);
        await sleep(1000, controller.signal);
      }
    }
    if (controller.signal.aborted) return;
    callbacks.onStart?.();
    let taken = 0;
    while (!controller.signal.aborted && (target === undefined || taken < target)) {
      const frameStart = performance.now();
      await callbacks.onFrame();
      taken++;
      if (target !== undefined && taken >= target) break;
      await sleep(Math.max(0, frameIntervalMs - (performance.now() - frameStart)), controller.signal);
    }
  };

  const done = run();
  return {
    done,
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}
