// Keeps the latest trained classifier loaded, so live webcam predictions cost one forward pass
// each instead of a model load.

import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../models/backend.js';
import { loadClassifier, type Classifier } from '../../models/classifier/index.js';
import { loadImageInput } from '../../models/images/preprocess.js';
import type { FileUpload, PredictionView } from '../api/types.js';

/** Extensions accepted for an uploaded image; others are decoded as JPEG, the capture format. */
const UPLOAD_EXTENSION = /\.(jpe?g|png|webp|bmp|gif|tiff?|avif)$/i;

export class Predictor {
  #dir: string | undefined;
  #loading: Promise<Classifier> | undefined;

  /** Loads the classifier in `dir` unless it is the one already loaded. */
  async #classifier(dir: string): Promise<Classifier> {
    if (this.#dir !== dir || this.#loading === undefined) {
      const previous = this.#loading;
      this.#dir = dir;
      this.#loading = (async () => {
        await initBackend();
        return loadClassifier(dir);
      })();
      // A failed load is not cached, so the next call tries again.
      this.#loading.catch(() => {
        if (this.#dir === dir) this.#loading = undefined;
      });
      previous?.then((old) => old.model.dispose()).catch(() => undefined);
    }
    return this.#loading;
  }

  async predict(modelDir: string, image: FileUpload): Promise<PredictionView> {
    const classifier = await this.#classifier(modelDir);
    const extension = UPLOAD_EXTENSION.exec(image.name)?.[0] ?? '.jpg';
    // The preprocessing spec reads files (EXIF orientation, BMP), so the upload goes through one.
    const file = path.join(tmpdir(), `edge-trainer-predict-${randomUUID()}${extension}`);
    try {
      await writeFile(file, image.bytes);
      const input = await loadImageInput(file, classifier.input);
      const { size, channels } = classifier.input;
      const output = tf.tidy(() => classifier.model.predict(tf.tensor4d(input, [1, size, size, channels])) as tf.Tensor);
      const probabilities = Array.from(await output.data());
      output.dispose();
      return { labels: classifier.labels, probabilities };
    } finally {
      await rm(file, { force: true });
    }
  }

  /** Drops the loaded classifier (project closed or retrained). */
  reset(): void {
    this.#loading?.then((old) => old.model.dispose()).catch(() => undefined);
    this.#loading = undefined;
    this.#dir = undefined;
  }
}
