// Classifies image files with a loaded classifier, using the shared preprocessing spec.

import * as tf from '@tensorflow/tfjs';
import { isEdgeTrainerError } from '../errors.js';
import { loadImageInput } from '../images/preprocess.js';
import type { Classifier } from './types.js';

export interface Prediction {
  file: string;
  /** Index of the most probable class in `labels`. */
  labelIndex: number;
  label: string;
  /** Class probabilities, in the order of `labels`. */
  probabilities: number[];
}

export interface PredictOptions {
  /** Images per model call; 16 keeps memory low and the wasm backend busy. */
  batchSize?: number;
  /**
   * Called for a file that cannot be read as an image (missing, empty, corrupt); the file is then
   * skipped. Without it the first such file throws.
   */
  onInvalidFile?: (file: string, error: Error) => void;
  /** Called after each batch with the number of files handled so far. */
  onProgress?: (done: number, total: number) => void;
}

const DEFAULT_BATCH_SIZE = 16;

/** Classifies `files` in order and returns one prediction per readable file. */
export async function predictFiles(classifier: Classifier, files: readonly string[], options: PredictOptions = {}): Promise<Prediction[]> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const { size, channels } = classifier.input;
  const pixelsPerImage = size * size * channels;
  const predictions: Prediction[] = [];

  for (let start = 0; start < files.length; start += batchSize) {
    const batchFiles: string[] = [];
    const inputs: Float32Array[] = [];
    for (const file of files.slice(start, start + batchSize)) {
      try {
        inputs.push(await loadImageInput(file, classifier.input));
        batchFiles.push(file);
      } catch (error) {
        if (!options.onInvalidFile || !isEdgeTrainerError(error)) throw error;
        options.onInvalidFile(file, error);
      }
    }

    if (inputs.length > 0) {
      const batch = new Float32Array(inputs.length * pixelsPerImage);
      inputs.forEach((input, index) => batch.set(input, index * pixelsPerImage));
      const output = tf.tidy(() => classifier.model.predict(tf.tensor4d(batch, [inputs.length, size, size, channels])) as tf.Tensor2D);
      const rows = (await output.array()) as number[][];
      output.dispose();
      rows.forEach((probabilities, index) => {
        const labelIndex = argMax(probabilities);
        predictions.push({ file: batchFiles[index], labelIndex, label: classifier.labels[labelIndex], probabilities });
      });
    }
    options.onProgress?.(Math.min(start + batchSize, files.length), files.length);
  }
  return predictions;
}

function argMax(values: readonly number[]): number {
  let best = 0;
  for (let index = 1; index < values.length; index++) {
    if (values[index] > values[best]) best = index;
  }
  return best;
}
