// The training loop of the head, written out instead of using model.fit so that the seed controls
// shuffling and dropout, and class weights, label smoothing and early stopping are explicit.
// Every per-batch computation runs inside tf.tidy, so the tensor count stays flat across epochs.

import * as tf from '@tensorflow/tfjs';
import { EdgeTrainerError } from '../errors.js';
import { createOptimizer } from './optimizers.js';
import type { TrainingSettings } from './options.js';
import { createRandom, deriveSeed, shuffleInPlace } from './random.js';

/** Embeddings with their class indices: `x` contains count x embeddingSize values. */
export interface EmbeddingSet {
  x: Float32Array;
  labels: Int32Array;
  count: number;
  embeddingSize: number;
}

export interface EpochLogs {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean training loss over the epoch's batches (with label smoothing and class weights). */
  loss: number;
  /** Training accuracy over the epoch's batches, with dropout active, 0..1. */
  accuracy: number;
  /** Cross-entropy on the validation set (no smoothing or weights), or null without one. */
  valLoss: number | null;
  valAccuracy: number | null;
}

export interface FitOptions {
  onEpochEnd?: (logs: EpochLogs) => void;
  signal?: AbortSignal;
}

export interface FitResult {
  history: EpochLogs[];
  /** Epoch whose weights the head ends with (the best one when early stopping restores it). */
  finalEpoch: number;
  stoppedEarly: boolean;
}

/** Training steps between yields to the event loop within an epoch. */
const YIELD_EVERY_STEPS = 32;

/** Smallest probability fed to log(), as Keras' epsilon. */
const PROBABILITY_EPSILON = 1e-7;

/** Weight per class index: 1 for 'none', n / (classCount * count of the class) for 'balanced'. */
export function resolveClassWeights(setting: TrainingSettings['classWeights'], labels: readonly string[], trainLabels: Int32Array): Float32Array {
  const weights = new Float32Array(labels.length).fill(1);
  if (setting === 'none') return weights;
  if (setting === 'balanced') {
    const counts = new Array<number>(labels.length).fill(0);
    for (const label of trainLabels) counts[label]++;
    counts.forEach((count, index) => {
      weights[index] = count === 0 ? 0 : trainLabels.length / (labels.length * count);
    });
    return weights;
  }
  for (const name of Object.keys(setting)) {
    if (!labels.includes(name)) {
      throw new EdgeTrainerError('invalid_argument', `classWeights names "${name}", which is not a class.`, { hint: `Use class names from: ${labels.join(', ')}.` });
    }
  }
  labels.forEach((name, index) => {
    weights[index] = setting[name] ?? 1;
  });
  return weights;
}

/** Runs the head on `x`, applying dropout after the hidden layer when `dropout` is given. */
function forward(head: tf.Sequential, x: tf.Tensor2D, dropout?: { rate: number; seed: number }): tf.Tensor2D {
  const [hiddenLayer, outputLayer] = head.layers;
  let hidden = hiddenLayer.apply(x) as tf.Tensor2D;
  if (dropout && dropout.rate > 0) hidden = tf.dropout(hidden, dropout.rate, undefined, dropout.seed) as tf.Tensor2D;
  return outputLayer.apply(hidden) as tf.Tensor2D;
}

/** Per-sample cross-entropy of softmax outputs against (possibly smoothed) one-hot targets. */
function crossEntropy(probabilities: tf.Tensor2D, labels: tf.Tensor1D, classCount: number, smoothing: number): tf.Tensor1D {
  let targets = tf.oneHot(labels, classCount).toFloat();
  if (smoothing > 0) targets = targets.mul(1 - smoothing).add(smoothing / classCount);
  const logProbabilities = probabilities.clipByValue(PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON).log();
  return targets.mul(logProbabilities).sum(1).neg() as tf.Tensor1D;
}

/** Validation cross-entropy and accuracy of the head, computed in one pass. */
export function evaluateLossAccuracy(head: tf.Sequential, data: EmbeddingSet, classCount: number): { loss: number; accuracy: number } {
  const [loss, correct] = tf.tidy(() => {
    const x = tf.tensor2d(data.x, [data.count, data.embeddingSize]);
    const labels = tf.tensor1d(data.labels, 'int32');
    const probabilities = forward(head, x);
    const lossValue = crossEntropy(probabilities, labels, classCount, 0).mean();
    const correctCount = probabilities.argMax(1).equal(labels).sum();
    return [lossValue.dataSync()[0], correctCount.dataSync()[0]];
  });
  return { loss, accuracy: correct / data.count };
}

/** Resolves the batch size setting against the training set size (full batch = every sample). */
export function effectiveBatchSize(setting: TrainingSettings['batchSize'], count: number): number {
  return setting === 'full' ? count : Math.min(setting, count);
}

/**
 * Trains `head` in place on `train` and reports per-epoch logs. With early stopping, training
 * ends after `patience` epochs without a validation-loss improvement of at least `minDelta`, and
 * the best epoch's weights are put back when `restoreBestWeights` is set.
 */
export async function fitHead(
  head: tf.Sequential,
  train: EmbeddingSet,
  validation: EmbeddingSet | null,
  labels: readonly string[],
  settings: TrainingSettings,
  options: FitOptions = {},
): Promise<FitResult> {
  const classCount = labels.length;
  const early = settings.earlyStopping;
  if (early && !validation) {
    throw new EdgeTrainerError('invalid_argument', 'Early stopping needs a validation set, but there is none: validationFraction is 0 or every class has a single sample.', {
      hint: 'Set validationFraction above 0 and give each class at least 2 samples, or turn early stopping off.',
    });
  }
  const batchSize = effectiveBatchSize(settings.batchSize, train.count);
  const shuffleRandom = createRandom(deriveSeed(settings.seed, 'shuffle'));
  const dropoutSeed = deriveSeed(settings.seed, 'dropout');
  const optimizer = createOptimizer(settings.optimizer, settings.learningRate);
  const variables = head.trainableWeights.map((weight) => weight.read() as tf.Variable);

  const x = tf.tensor2d(train.x, [train.count, train.embeddingSize]);
  const y = tf.tensor1d(train.labels, 'int32');
  const classWeights = tf.tensor1d(resolveClassWeights(settings.classWeights, labels, train.labels));
  const order = Array.from({ length: train.count }, (_, index) => index);

  const history: EpochLogs[] = [];
  let best: { loss: number; epoch: number; weights: tf.Tensor[] } | undefined;
  let epochsWithoutImprovement = 0;
  let stoppedEarly = false;
  let step = 0;
  const throwIfCancelled = (epoch: number) => {
    if (!options.signal?.aborted) return;
    throw new EdgeTrainerError('cancelled', `Training was cancelled in epoch ${epoch} of ${settings.epochs}.`, {
      hint: 'Start training again; cached embeddings are reused.',
    });
  };

  try {
    for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      throwIfCancelled(epoch);
      shuffleInPlace(order, shuffleRandom);
      let lossSum = 0;
      let correctSum = 0;

      for (let start = 0; start < train.count; start += batchSize) {
        // Each step runs synchronously, so yield now and then to let a cancel request arrive.
        if (step % YIELD_EVERY_STEPS === YIELD_EVERY_STEPS - 1) {
          await new Promise((resolve) => setImmediate(resolve));
          throwIfCancelled(epoch);
        }
        const batchIndices = order.slice(start, start + batchSize);
        const stepSeed = (dropoutSeed + step++) >>> 0;
        const [batchLoss, batchCorrect] = tf.tidy(() => {
          const indices = tf.tensor1d(batchIndices, 'int32');
          const xBatch = x.gather(indices) as tf.Tensor2D;
          const yBatch = y.gather(indices) as tf.Tensor1D;
          const weightBatch = classWeights.gather(yBatch);
          let correct: tf.Scalar | undefined;
          const loss = optimizer.minimize(
            () => {
              const probabilities = forward(head, xBatch, { rate: settings.dropout, seed: stepSeed });
              correct = tf.keep(probabilities.argMax(1).equal(yBatch).sum());
              return crossEntropy(probabilities, yBatch, classCount, settings.labelSmoothing).mul(weightBatch).mean() as tf.Scalar;
            },
            true,
            variables,
          ) as tf.Scalar;
          const values = [loss.dataSync()[0] * batchIndices.length, correct!.dataSync()[0]];
          correct!.dispose();
          return values;
        });
        lossSum += batchLoss;
        correctSum += batchCorrect;
      }

      const logs: EpochLogs = { epoch, loss: lossSum / train.count, accuracy: correctSum / train.count, valLoss: null, valAccuracy: null };
      if (validation) {
        const result = evaluateLossAccuracy(head, validation, classCount);
        logs.valLoss = result.loss;
        logs.valAccuracy = result.accuracy;
      }
      history.push(logs);

      if (early && logs.valLoss !== null) {
        if (!best || logs.valLoss < best.loss - early.minDelta) {
          best?.weights.forEach((tensor) => tensor.dispose());
          best = { loss: logs.valLoss, epoch, weights: early.restoreBestWeights ? variables.map((variable) => tf.clone(variable)) : [] };
          epochsWithoutImprovement = 0;
        } else {
          epochsWithoutImprovement++;
        }
      }
      options.onEpochEnd?.(logs);
      // Yield to the event loop so progress events and cancellation get through between epochs.
      await new Promise((resolve) => setImmediate(resolve));
      if (early && epochsWithoutImprovement >= early.patience) {
        stoppedEarly = true;
        break;
      }
    }

    let finalEpoch = history.length;
    if (best && early?.restoreBestWeights) {
      variables.forEach((variable, index) => variable.assign(best!.weights[index]));
      finalEpoch = best.epoch;
    }
    return { history, finalEpoch, stoppedEarly };
  } finally {
    best?.weights.forEach((tensor) => tensor.dispose());
    x.dispose();
    y.dispose();
    classWeights.dispose();
    optimizer.dispose();
  }
}
