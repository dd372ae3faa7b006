// Live predictions from the webcam with one frame in flight at a time. Predictions follow the
// camera as fast as the engine returns them, while the UI thread only grabs and encodes frames.

import type { PredictionView } from '../../../electron/api/types.js';
import type { EdgeTrainerApi } from '../api/client.js';
import { grabFrame } from '../capture/frames.js';

export class PreviewState {
  readonly #api: EdgeTrainerApi;
  #running = false;
  #canvas: HTMLCanvasElement | undefined;

  prediction = $state.raw<PredictionView | undefined>(undefined);
  /** Predictions per second over the last few frames. */
  rate = $state(0);
  errorMessage = $state<string | undefined>(undefined);

  constructor(api: EdgeTrainerApi) {
    this.#api = api;
  }

  start(video: HTMLVideoElement): void {
    if (this.#running) return;
    this.#running = true;
    this.#canvas ??= document.createElement('canvas');
    void this.#loop(video, this.#canvas);
  }

  stop(): void {
    this.#running = false;
  }

  async #loop(video: HTMLVideoElement, canvas: HTMLCanvasElement): Promise<void> {
    const recent: number[] = [];
    while (this.#running) {
      if (video.readyState < 2 || video.videoWidth === 0) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      try {
        const bytes = await grabFrame(video, canvas);
        this.prediction = await this.#api.predictImage({ name: 'webcam.jpg', bytes });
        this.errorMessage = undefined;
        const now = performance.now();
        recent.push(now);
        while (recent.length > 10) recent.shift();
        if (recent.length > 1) this.rate = ((recent.length - 1) * 1000) / (now - recent[0]);
      } catch (error) {
        this.errorMessage = (error as Error).message;
        // A failing engine (no model yet) is retried slowly instead of in a tight loop.
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      // Yield a frame so rendering and input keep their turn.
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }

  async predictFile(file: File): Promise<PredictionView | undefined> {
    try {
      return await this.#api.predictImage({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    } catch (error) {
      this.errorMessage = (error as Error).message;
      return undefined;
    }
  }
}
