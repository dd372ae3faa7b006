// Test fixtures for the TFLite exporter: real sign-language-digit photos and a classifier trained
// on them in seconds (a dense head on frozen base embeddings), assembled as Teachable Machine
// does (base, pooling or Flatten, Dense 100 relu, Dense N softmax without bias).

import { readdirSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { BASES } from '../../../models/bases/registry.js';
import { loadBase } from '../../../models/bases/load.js';
import { loadImageInput } from '../../../models/images/preprocess.js';
import { testDataDir } from '../../../models/paths.js';

export const DIGIT_LABELS = ['0', '1', '2', '3', '4', '5'];

export interface DigitSplit {
  inputs: Float32Array[];
  labels: number[];
}

export interface DigitClassifier {
  model: tf.LayersModel;
  train: DigitSplit;
  test: DigitSplit;
  /** Calibration inputs: the first `perClass` training photos of every class. */
  calibration: Float32Array[];
}

/** Photos of each digit class, sorted by name so the split is the same on every run. */
function digitFiles(): string[][] {
  const root = path.join(testDataDir(), 'gestures/sign-language-digits');
  return DIGIT_LABELS.map((label) =>
    readdirSync(path.join(root, label))
      .filter((name) => /\.(jpe?g|png)$/i.test(name))
      .sort()
      .map((name) => path.join(root, label, name)),
  );
}

/**
 * Trains a digit classifier on `baseId`: even-numbered photos of each class train the head, odd
 * ones are held out. `pooling` is 'average' (the 224 RGB layout) or 'flatten' (the 96 gray one).
 */
export async function trainDigitClassifier(baseId: string, pooling: 'average' | 'flatten', calibrationPerClass = 8): Promise<DigitClassifier> {
  const info = BASES[baseId];
  const base = await loadBase(baseId);
  const train: DigitSplit = { inputs: [], labels: [] };
  const test: DigitSplit = { inputs: [], labels: [] };
  const calibration: Float32Array[] = [];
  const files = digitFiles();
  for (let label = 0; label < files.length; label++) {
    for (let i = 0; i < files[label].length; i++) {
      const input = await loadImageInput(files[label][i], info.input);
      const split = i % 2 === 0 ? train : test;
      split.inputs.push(input);
      split.labels.push(label);
      if (i % 2 === 0 && calibration.length < (label + 1) * calibrationPerClass) calibration.push(input);
    }
  }

  const pool = pooling === 'average' ? tf.layers.globalAveragePooling2d({}) : tf.layers.flatten();
  const featureSize = pooling === 'average' ? info.embeddingSize : info.featureShape.reduce((a, b) => a * b, 1);
  const head = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [featureSize], units: 100, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }),
      tf.layers.dense({ units: DIGIT_LABELS.length, activation: 'softmax', useBias: false, kernelInitializer: tf.initializers.glorotUniform({ seed: 11 }) }),
    ],
  });
  const features = tf.tidy(() => {
    const batch = tf.stack(train.inputs.map((input) => tf.tensor3d(input, [info.input.size, info.input.size, info.input.channels])));
    const pooled = pool.apply(base.predict(batch) as tf.Tensor) as tf.Tensor;
    return pooled.reshape([train.inputs.length, featureSize]);
  });
  const targets = tf.oneHot(tf.tensor1d(train.labels, 'int32'), DIGIT_LABELS.length);
  head.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
  await head.fit(features, targets, { epochs: 40, batchSize: 16, shuffle: false, verbose: 0 });
  features.dispose();
  targets.dispose();

  const featureExtractor = tf.sequential({ layers: [base, pool] });
  const model = tf.sequential({ layers: [featureExtractor, head] });
  return { model, train, test, calibration };
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
