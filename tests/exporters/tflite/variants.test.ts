import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../models/backend.js';
import { BASES } from '../../../models/bases/registry.js';
import { assembleClassifier } from '../../../models/classifier/assemble.js';
import { buildTflite, type BuiltTflite } from '../../../models/exporters/tflite/export.js';
import { TflitePredictor } from '../../../models/exporters/tflite/predict.js';
import { loadImageInput, type InputSpec } from '../../../models/images/preprocess.js';
import { readTflite, type TfliteSubgraph } from '../../../models/tflite/reader.js';
import { trainClassifier } from '../../../models/training/train.js';
import type { TrainingSampleInput } from '../../../models/training/samples.js';
import { digitSamples, TEST_CACHE_DIR } from '../../models/training/digits.js';
import { argmax, DIGIT_LABELS, maxAbsDifference, trainDigitClassifier, type DigitClassifier, type DigitSplit } from './fixtures.js';

/** Photos per class held out of training for the 224 classifier; the other 30 train it. */
const HELD_OUT_PER_CLASS = 30;
/** Training photos per class that calibrate the int8 ranges and weights. */
const CALIBRATION_PER_CLASS = 8;

async function loadSplit(samples: TrainingSampleInput[], spec: InputSpec): Promise<DigitSplit> {
  const split: DigitSplit = { inputs: [], labels: [] };
  for (const sample of samples) {
    split.inputs.push(await loadImageInput(sample.file!, spec));
    split.labels.push(DIGIT_LABELS.indexOf(sample.label));
  }
  return split;
}

/**
 * Trains the 224 digit classifier with the engine's trainClassifier (Teachable Machine defaults,
 * seed 7) on 30 photos per class and assembles it as the app does. The other 30 photos per class
 * are held out; calibration uses training photos only.
 */
async function trainEngineDigitClassifier(): Promise<DigitClassifier> {
  const spec = BASES['mobilenet-v2-224'].input;
  const { train, heldOut } = digitSamples(HELD_OUT_PER_CLASS);
  const result = await trainClassifier(train, { base: 'mobilenet-v2-224', seed: 7, cacheDir: TEST_CACHE_DIR });
  const model = await assembleClassifier('mobilenet-v2-224', result.head);
  const trainSplit = await loadSplit(train, spec);
  const calibration = DIGIT_LABELS.flatMap((_, label) => {
    const inputs = trainSplit.inputs.filter((__, i) => trainSplit.labels[i] === label);
    return Array.from({ length: CALIBRATION_PER_CLASS }, (__, i) => inputs[Math.floor((i * inputs.length) / CALIBRATION_PER_CLASS)]);
  });
  return { model, train: trainSplit, test: await loadSplit(heldOut, spec), calibration };
}

/** Largest output difference between a TFLite variant and the tfjs model over `count` held-out photos. */
async function maxDifferenceToTfjs(classifier: DigitClassifier, built: BuiltTflite, count: number): Promise<number> {
  const predictor = await TflitePredictor.fromBytes(built.bytes, built.report.variant);
  const [, size, , channels] = built.report.input.shape;
  let max = 0;
  for (let i = 0; i < count; i++) {
    const input = classifier.test.inputs[Math.floor((i * classifier.test.inputs.length) / count)];
    const expected = tf.tidy(() => (classifier.model.predict(tf.tensor4d(input, [1, size, size, channels])) as tf.Tensor).dataSync());
    max = Math.max(max, maxAbsDifference(predictor.predict(input), expected));
  }
  predictor.dispose();
  return max;
}

function tensorOf(graph: TfliteSubgraph, opcode: string, inputIndex: number) {
  const op = graph.operators.find((candidate) => candidate.opcode === opcode)!;
  return graph.tensors[op.inputs[inputIndex]];
}

describe('tflite variants, MobileNetV2 224 digits', () => {
  let classifier: DigitClassifier;
  const sizes: Record<string, number> = {};

  beforeAll(async () => {
    await initBackend('wasm');
    classifier = await trainEngineDigitClassifier();
  });

  afterAll(() => {
    classifier.model.dispose();
    // Sizes per variant, for the export docs and the report.
    console.info(`tflite sizes (224 digits): ${JSON.stringify(sizes)}`);
  });

  it('float32 matches tfjs within 1e-4', async () => {
    const built = await buildTflite(classifier.model, DIGIT_LABELS, { variant: 'float32' });
    sizes.float32 = built.bytes.length;
    expect(await maxDifferenceToTfjs(classifier, built, 6)).toBeLessThan(1e-4);
  });

  it('float16 matches tfjs within 1e-2', async () => {
    const built = await buildTflite(classifier.model, DIGIT_LABELS, { variant: 'float16' });
    sizes.float16 = built.bytes.length;
    const graph = readTflite(built.bytes).subgraphs[0];
    expect(tensorOf(graph, 'CONV_2D', 1).type).toBe('FLOAT32');
    expect(graph.operators.filter((op) => op.opcode === 'DEQUANTIZE')).toHaveLength(37);
    expect(tensorOf(graph, 'DEPTHWISE_CONV_2D', 1).type).toBe('FLOAT32');
    expect(graph.tensors.filter((tensor) => tensor.type === 'FLOAT16').every((tensor) => tensor.data !== null)).toBe(true);
    expect(await maxDifferenceToTfjs(classifier, built, 6)).toBeLessThan(1e-2);
  });

  it('dynamic keeps float activations and int8 weights', async () => {
    const built = await buildTflite(classifier.model, DIGIT_LABELS, { variant: 'dynamic', evaluation: { inputs: classifier.test.inputs.slice(0, 30), labels: classifier.test.labels.slice(0, 30) } });
    sizes.dynamic = built.bytes.length;
    const graph = readTflite(built.bytes).subgraphs[0];
    expect(built.report.input.dtype).toBe('float32');
    const filter = tensorOf(graph, 'FULLY_CONNECTED', 1);
    expect(filter.type).toBe('INT8');
    expect(built.report.accuracy!.top1Agreement).toBeGreaterThanOrEqual(0.95);
  });

  it('int8 is strict, per-channel and accurate', async () => {
    const built = await buildTflite(classifier.model, DIGIT_LABELS, { variant: 'int8', calibration: classifier.calibration, percentile: 99.99, evaluation: classifier.test });
    sizes.int8 = built.bytes.length;
    expect(built.report.strictInteger).toBe(true);
    expect(built.report.input.dtype).toBe('int8');
    expect(built.report.output.dtype).toBe('int8');
    expect(built.report.output.scale).toBe(1 / 256);
    expect(built.report.output.zeroPoint).toBe(-128);

    const graph = readTflite(built.bytes).subgraphs[0];
    const convFilter = tensorOf(graph, 'CONV_2D', 1);
    expect(convFilter.quantization!.quantizedDimension).toBe(0);
    expect(convFilter.quantization!.scale).toHaveLength(convFilter.shape[0]);
    expect(convFilter.quantization!.zeroPoint.every((zeroPoint) => zeroPoint === 0)).toBe(true);
    const depthwiseFilter = tensorOf(graph, 'DEPTHWISE_CONV_2D', 1);
    expect(depthwiseFilter.quantization!.quantizedDimension).toBe(3);
    expect(depthwiseFilter.quantization!.scale).toHaveLength(depthwiseFilter.shape[3]);

    const conv = graph.operators.find((op) => op.opcode === 'CONV_2D')!;
    const inputScale = graph.tensors[conv.inputs[0]].quantization!.scale[0];
    const bias = graph.tensors[conv.inputs[2]];
    expect(bias.type).toBe('INT32');
    expect(bias.quantization!.scale[3]).toBeCloseTo(inputScale * convFilter.quantization!.scale[3], 12);

    const accuracy = built.report.accuracy!;
    console.info(`int8 224 digits: ${JSON.stringify(accuracy)}`);
    expect(accuracy.samples).toBe(HELD_OUT_PER_CLASS * DIGIT_LABELS.length);
    // Measured on these 180 held-out photos: 98.3% agreement, 97.8% float32 and 97.2% int8 accuracy.
    expect(accuracy.top1Agreement).toBeGreaterThanOrEqual(0.98);
    expect(accuracy.float32Accuracy - accuracy.accuracy).toBeLessThanOrEqual(0.01);
  });

  it('uint8 wraps int8 with QUANTIZE', async () => {
    const built = await buildTflite(classifier.model, DIGIT_LABELS, { variant: 'uint8', calibration: classifier.calibration.slice(0, 12) });
    sizes.uint8 = built.bytes.length;
    expect(built.report.strictInteger).toBe(true);
    expect(built.report.input.dtype).toBe('uint8');
    expect(built.report.output.dtype).toBe('uint8');
    expect(built.report.output.zeroPoint).toBe(0);
    expect(built.report.ops[0].opcode).toBe('QUANTIZE');
    expect(built.report.ops[built.report.ops.length - 1].opcode).toBe('QUANTIZE');
    const predictor = await TflitePredictor.fromBytes(built.bytes, 'uint8');
    const scores = predictor.predict(classifier.test.inputs[0]);
    predictor.dispose();
    expect(argmax(scores)).toBe(classifier.test.labels[0]);
  });

  it('int8 without calibration is rejected', async () => {
    await expect(buildTflite(classifier.model, DIGIT_LABELS, { variant: 'int8' })).rejects.toThrow(/needs calibration images/);
  });
});

describe('tflite variants, MobileNetV1 96 grayscale digits', () => {
  let classifier: DigitClassifier;

  beforeAll(async () => {
    await initBackend('wasm');
    classifier = await trainDigitClassifier('mobilenet-v1-96-gray', 'flatten');
  });

  it('float32 matches tfjs within 1e-4', async () => {
    const built = await buildTflite(classifier.model, DIGIT_LABELS, { variant: 'float32' });
    expect(built.report.opCounts.RESHAPE).toBe(1);
    expect(await maxDifferenceToTfjs(classifier, built, 6)).toBeLessThan(1e-4);
  });

  it('float16 matches tfjs within 1e-2', async () => {
    const built = await buildTflite(classifier.model, DIGIT_LABELS, { variant: 'float16' });
    expect(await maxDifferenceToTfjs(classifier, built, 6)).toBeLessThan(1e-2);
  });

  it('dynamic runs', async () => {
    const built = await buildTflite(classifier.model, DIGIT_LABELS, { variant: 'dynamic', evaluation: { inputs: classifier.test.inputs.slice(0, 30), labels: classifier.test.labels.slice(0, 30) } });
    expect(built.report.accuracy!.top1Agreement).toBeGreaterThanOrEqual(0.9);
  });

  it('int8 is strict and close to float32', async () => {
    const built = await buildTflite(classifier.model, DIGIT_LABELS, { variant: 'int8', calibration: classifier.calibration, percentile: 99.99, evaluation: classifier.test });
    expect(built.report.strictInteger).toBe(true);
    const accuracy = built.report.accuracy!;
    console.info(`int8 96 gray digits: ${JSON.stringify(accuracy)}`);
    // NOTE: this head on the Flatten features reaches only about 63% float32 accuracy on six
    // digit classes, so many photos sit near a decision boundary and flip under int8.
    expect(accuracy.float32Accuracy - accuracy.accuracy).toBeLessThanOrEqual(0.03);
  });
});
