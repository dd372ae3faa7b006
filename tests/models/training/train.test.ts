import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { EdgeTrainerError } from '../../../models/errors.js';
import { resolveClassWeights } from '../../../models/training/fit.js';
import { OPTIMIZER_NAMES } from '../../../models/training/optimizers.js';
import { resolveTrainingSettings } from '../../../models/training/options.js';
import { samplesFromFolder } from '../../../models/training/samples.js';
import { type TrainOptions, type TrainProgress, trainClassifier } from '../../../models/training/train.js';
import { DIGITS_DIR, DIGIT_LABELS, TEST_CACHE_DIR, digitFiles, digitSamples } from './digits.js';

// Three classes of 10 photos on the small grayscale base keep each run to about a second.
const { train: SAMPLES } = digitSamples(50, 10, ['0', '1', '2']);
const BASE: TrainOptions = { base: 'mobilenet-v1-96-gray', cacheDir: TEST_CACHE_DIR, seed: 3, epochs: 5 };

async function train(options: TrainOptions, onProgress?: (progress: TrainProgress) => void, signal?: AbortSignal) {
  return trainClassifier(SAMPLES, { ...BASE, ...options }, { onProgress, signal });
}

function weightsOf(head: tf.Sequential): number[][] {
  return head.getWeights().map((tensor) => Array.from(tensor.dataSync()));
}

describe('trainClassifier', () => {
  it('same seed gives the same model', async () => {
    const options: TrainOptions = { dropout: 0.3, augmentation: { copies: 1 } };
    const first = await train(options);
    const second = await train(options);
    expect(weightsOf(second.head)).toEqual(weightsOf(first.head));
    expect(second.history).toEqual(first.history);
    first.head.dispose();
    second.head.dispose();
  });

  it('other seed gives another model', async () => {
    const first = await train({ seed: 1 });
    const second = await train({ seed: 2 });
    expect(weightsOf(second.head)).not.toEqual(weightsOf(first.head));
    first.head.dispose();
    second.head.dispose();
  });

  it('tensor count stays flat across epochs', async () => {
    const counts: number[] = [];
    const result = await train({ epochs: 6, earlyStopping: { patience: 100 } }, (progress) => {
      if (progress.stage === 'training') counts.push(tf.memory().numTensors);
    });
    expect(counts).toHaveLength(6);
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(counts[0]).toBe(counts[1]);
    result.head.dispose();
  });

  it('head has TM layer layout', async () => {
    const result = await train({});
    const [hidden, output] = result.head.layers.map((layer) => layer.getConfig());
    expect(result.head.layers.map((layer) => layer.getClassName())).toEqual(['Dense', 'Dense']);
    expect([hidden.units, hidden.activation, hidden.useBias]).toEqual([100, 'relu', true]);
    expect([output.units, output.activation, output.useBias]).toEqual([3, 'softmax', false]);
    expect(result.head.inputs[0].shape).toEqual([null, 256]);
    expect(result.labels).toEqual(['0', '1', '2']);
    result.head.dispose();
  });

  it('progress covers both stages', async () => {
    const events: TrainProgress[] = [];
    const result = await train({ epochs: 3 }, (progress) => events.push(progress));
    const embedding = events.filter((event) => event.stage === 'embedding');
    const training = events.filter((event) => event.stage === 'training');
    expect(embedding.at(-1)).toEqual({ stage: 'embedding', done: 30, total: 30 });
    expect(training.map((event) => event.epoch)).toEqual([1, 2, 3]);
    expect(training[2].logs).toEqual(result.history[2]);
    result.head.dispose();
  });

  it('validation split holds out 15% per class', async () => {
    const result = await train({});
    // ceil(0.15 x 10) = 2 of each class's 10 photos.
    expect(result.report.split.validationCount).toBe(6);
    expect(result.report.split.trainCount).toBe(24);
    expect(result.report.split.method).toBe('stratified');
    expect(result.evaluation?.count).toBe(6);
    result.head.dispose();
  });

  it('every optimizer trains', async () => {
    for (const optimizer of OPTIMIZER_NAMES) {
      const result = await train({ optimizer, epochs: 2, learningRate: 0.01 });
      expect(Number.isFinite(result.history[1].loss), optimizer).toBe(true);
      result.head.dispose();
    }
  });

  it('batch size 1 and full batch train', async () => {
    for (const batchSize of [1, 'full'] as const) {
      const result = await train({ batchSize, epochs: 2 });
      expect(result.history, String(batchSize)).toHaveLength(2);
      result.head.dispose();
    }
  });

  it('label smoothing raises the loss floor', async () => {
    const plain = await train({ epochs: 30 });
    const smoothed = await train({ epochs: 30, labelSmoothing: 0.2 });
    // Smoothed targets keep cross-entropy above 0 even for a perfect fit.
    expect(smoothed.history.at(-1)!.loss).toBeGreaterThan(plain.history.at(-1)!.loss + 0.1);
    plain.head.dispose();
    smoothed.head.dispose();
  });

  it('early stopping restores the best epoch', async () => {
    const result = await train({ epochs: 200, learningRate: 0.01, earlyStopping: { patience: 3 } });
    const best = result.history.reduce((a, b) => (b.valLoss! < a.valLoss! ? b : a));
    expect(result.report.stoppedEarly).toBe(true);
    expect(result.history.length).toBeLessThan(200);
    expect(result.report.finalEpoch).toBe(best.epoch);
    expect(result.evaluation!.loss).toBeCloseTo(best.valLoss!, 4);
    result.head.dispose();
  });

  it('early stopping needs validation', async () => {
    await expect(train({ validationFraction: 0, earlyStopping: {} })).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('augmented copies are cached', async () => {
    const options: TrainOptions = { epochs: 1, seed: 11, augmentation: { copies: 2 } };
    await train(options).then((result) => result.head.dispose());
    const again = await train(options);
    // 24 training photos x 3 variants + 6 validation photos, all from the cache the second time.
    expect(again.report.embeddings).toEqual({ computed: 0, cached: 78 });
    again.head.dispose();
  });

  it('cancel stops training', async () => {
    const controller = new AbortController();
    const run = train({ epochs: 100 }, (progress) => {
      if (progress.stage === 'training' && progress.epoch === 2) controller.abort();
    }, controller.signal);
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('samplesFromFolder', () => {
  it('labels come from subfolders', async () => {
    const { samples, labels } = await samplesFromFolder(DIGITS_DIR);
    expect(labels).toEqual(DIGIT_LABELS);
    expect(samples).toHaveLength(360);
    expect(samples[0]).toEqual({ file: digitFiles('0')[0], label: '0', session: undefined });
  });
});

describe('training settings', () => {
  it('defaults follow Teachable Machine', () => {
    const settings = resolveTrainingSettings({ seed: 1 });
    expect([settings.epochs, settings.batchSize, settings.learningRate, settings.optimizer]).toEqual([50, 16, 0.001, 'adam']);
    expect(settings.validationFraction).toBe(0.15);
    expect(settings.hiddenUnits).toBe(100);
  });

  it('invalid knob names the field', () => {
    expect(() => resolveTrainingSettings({ learningRate: -1 })).toThrow(/learningRate/);
    expect(() => resolveTrainingSettings({ optimizer: 'lbfgs' as never })).toThrow(/optimizer/);
    expect(() => resolveTrainingSettings({ augmentation: { copies: 99 } })).toThrow(/augmentation.copies/);
  });

  it('balanced class weights', () => {
    const weights = resolveClassWeights('balanced', ['a', 'b'], Int32Array.from([0, 0, 0, 1]));
    // n / (classCount x count): 4 / (2 x 3) and 4 / (2 x 1).
    expect(weights[0]).toBeCloseTo(4 / 6, 6);
    expect(weights[1]).toBeCloseTo(2, 6);
  });

  it('explicit class weights need known names', () => {
    expect(Array.from(resolveClassWeights({ b: 3 }, ['a', 'b'], Int32Array.from([0, 1])))).toEqual([1, 3]);
    expect(() => resolveClassWeights({ c: 3 }, ['a', 'b'], Int32Array.from([0, 1]))).toThrow(EdgeTrainerError);
  });
});
