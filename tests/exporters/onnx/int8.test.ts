import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../models/backend.js';
import { exportOnnx, exportOnnxInt8 } from '../../../models/exporters/onnx/export.js';
import { activationParams, quantizeBias, quantizeFilterPerChannel } from '../../../models/exporters/onnx/quantization.js';
import { loadEmbeddingModel } from '../../../models/inference/base-graph.js';
import { sessionOptions } from '../../../models/inference/onnxruntime.js';
import { checkOnnxFile, gesturePhotos, loadBatch } from '../../inference/fixtures.js';

async function runOnnx(bytes: Uint8Array, input: Float32Array, shape: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, sessionOptions());
  try {
    const outputs = await session.run({ input: new ort.Tensor('float32', input, shape) });
    return outputs.output.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** Root-mean-square error relative to the root-mean-square of `expected`. */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  let error = 0;
  let energy = 0;
  for (let index = 0; index < expected.length; index++) {
    error += (actual[index] - expected[index]) ** 2;
    energy += expected[index] ** 2;
  }
  return Math.sqrt(error / energy);
}

describe('int8 quantization parameters', () => {
  it('activation range [-1, 3]', () => {
    // scale = 4 / 255; zero point = round(1 / scale) = round(63.75) = 64.
    const params = activationParams({ min: -1, max: 3 });
    expect(params.scale).toBeCloseTo(4 / 255, 7);
    expect(params.zeroPoint).toBe(64);
  });

  it('activation range widened to zero', () => {
    expect(activationParams({ min: 2, max: 5.1 })).toEqual({ scale: Math.fround(5.1 / 255), zeroPoint: 0 });
    expect(activationParams({ min: -5.1, max: -2 }).zeroPoint).toBe(255);
  });

  it('constant zero range', () => {
    expect(activationParams({ min: 0, max: 0 })).toEqual({ scale: 1, zeroPoint: 0 });
  });

  it('filter per channel, symmetric', () => {
    // Channel 0: max |w| = 2, so scale 2 / 127 and 1 -> 63.5 -> 64 (half to even). Channel 1 is all zero.
    const { values, scales } = quantizeFilterPerChannel(Float32Array.of(2, -1, 1, 0, 0, 0), 2);
    expect(Array.from(values)).toEqual([127, -64, 64, 0, 0, 0]);
    expect(scales[0]).toBeCloseTo(2 / 127, 7);
    expect(scales[1]).toBe(1);
  });

  it('bias in accumulator scale', () => {
    // scale = 0.5 * 0.01 = 0.005, so 1.0 -> 200 and -0.0126 -> -2.52 -> -3.
    const { values, scales } = quantizeBias(Float32Array.of(1, -0.0126), 0.5, Float32Array.of(0.01, 0.01));
    expect(Array.from(values)).toEqual([200, -3]);
    expect(scales[0]).toBeCloseTo(0.005, 9);
  });
});

describe('int8 ONNX export', () => {
  let workDir: string;

  beforeAll(async () => {
    await initBackend();
    workDir = await mkdtemp(path.join(os.tmpdir(), 'edge-trainer-onnx-int8-'));
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  for (const layer of ['conv2d', 'depthwiseConv2d'] as const) {
    it(`${layer} with relu6 within 3%`, async () => {
      const input = tf.input({ shape: [16, 16, 8] });
      const convolution = layer === 'conv2d' ? tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }) : tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same' });
      const activated = tf.layers.reLU({ maxValue: 6 }).apply(convolution.apply(input)) as tf.SymbolicTensor;
      const model = tf.model({ inputs: input, outputs: activated });
      const data = tf.tidy(() => tf.randomUniform([8, 16, 16, 8], -1, 1, 'float32', 5).dataSync() as Float32Array);
      const quantized = await exportOnnxInt8(model, { inputs: data, count: 8 });
      const expected = await runOnnx(exportOnnx(model), data, [8, 16, 16, 8]);
      const actual = await runOnnx(quantized, data, [8, 16, 16, 8]);
      expect(relativeError(actual, expected)).toBeLessThan(0.03);
      model.dispose();
    });
  }

  it('base graph is QDQ and passes onnx.checker', async () => {
    const model = await loadEmbeddingModel('mobilenet-v2-224');
    const photos = gesturePhotos(90);
    const calibration = await loadBatch(photos, { size: 224, channels: 3 });
    const bytes = await exportOnnxInt8(model, { inputs: calibration, count: photos.length });
    const types = onnxProto.onnx.ModelProto.decode(bytes).graph?.node?.map((node) => node.opType) ?? [];
    const file = path.join(workDir, 'base-int8.onnx');
    await writeFile(file, bytes);
    expect(types.filter((type) => type === 'Conv')).toHaveLength(52);
    // One DequantizeLinear per conv filter, one per bias and one per quantized activation.
    expect(types.filter((type) => type === 'QuantizeLinear').length).toBeGreaterThan(52);
    expect(types).not.toContain('Clip');
    expect(await checkOnnxFile(file)).toBe('ok');
    const session = await ort.InferenceSession.create(bytes, sessionOptions());
    const output = await session.run({ input: new ort.Tensor('float32', calibration.subarray(0, 224 * 224 * 3), [1, 224, 224, 3]) });
    expect(output.output.dims).toEqual([1, 1280]);
    await session.release();
  });

  it('wrong calibration length is rejected', async () => {
    const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 1 })] });
    await expect(exportOnnxInt8(model, { inputs: new Float32Array(15), count: 1 })).rejects.toMatchObject({ code: 'invalid_argument' });
    model.dispose();
  });
});
