import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../models/backend.js';
import { type EdgeTrainerError, isEdgeTrainerError } from '../../../models/errors.js';
import { exportOnnx, writeOnnxFile } from '../../../models/exporters/onnx/export.js';
import { loadLayersModelDir } from '../../../models/io/layers-dir.js';
import { testDataDir } from '../../../models/paths.js';
import { loadEmbeddingModel } from '../../../models/inference/base-graph.js';
import { checkOnnxFile, gesturePhotos, loadBatch, maxAbsDifference } from '../../inference/fixtures.js';

const TOLERANCE = 1e-4;

async function runOnnx(bytes: Uint8Array, input: Float32Array, shape: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all' });
  try {
    const outputs = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, shape) });
    return outputs[session.outputNames[0]].data as Float32Array;
  } finally {
    await session.release();
  }
}

function runTfjs(model: tf.LayersModel, input: Float32Array, shape: number[]): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor(input, shape)) as tf.Tensor).dataSync() as Float32Array);
}

function opTypes(bytes: Uint8Array): string[] {
  return onnxProto.onnx.ModelProto.decode(bytes).graph?.node?.map((node) => node.opType ?? '') ?? [];
}

/** Builds a functional model with every exported layer class and random weights (BatchNormalization variance in [0.5, 1.5]). */
function everyLayerModel(): tf.LayersModel {
  const input = tf.input({ shape: [17, 17, 3] });
  const stem = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(input) as tf.SymbolicTensor;
  const normalized = tf.layers.batchNormalization().apply(stem) as tf.SymbolicTensor;
  const clipped = tf.layers.reLU({ maxValue: 6 }).apply(normalized) as tf.SymbolicTensor;
  const depthwise = tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', useBias: true }).apply(clipped) as tf.SymbolicTensor;
  const separable = tf.layers.separableConv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'tanh' }).apply(depthwise) as tf.SymbolicTensor;
  const padded = tf.layers.zeroPadding2d({ padding: [[1, 1], [0, 1]] }).apply(clipped) as tf.SymbolicTensor;
  const valid = tf.layers.conv2d({ filters: 8, kernelSize: [3, 2], padding: 'valid', useBias: false }).apply(padded) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([separable, valid]) as tf.SymbolicTensor;
  const sumNormalized = tf.layers.batchNormalization().apply(sum) as tf.SymbolicTensor;
  const joined = tf.layers.concatenate().apply([sumNormalized, clipped]) as tf.SymbolicTensor;
  const swish = tf.layers.activation({ activation: 'swish' }).apply(joined) as tf.SymbolicTensor;
  const maxPooled = tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }).apply(swish) as tf.SymbolicTensor;
  const averagePooled = tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(maxPooled) as tf.SymbolicTensor;
  const flat = tf.layers.flatten().apply(averagePooled) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({}).apply(swish) as tf.SymbolicTensor;
  const maxima = tf.layers.globalMaxPooling2d({}).apply(maxPooled) as tf.SymbolicTensor;
  const features = tf.layers.concatenate().apply([flat, pooled, maxima]) as tf.SymbolicTensor;
  const hidden = tf.layers.dense({ units: 12, activation: 'relu' }).apply(features) as tf.SymbolicTensor;
  const hiddenNormalized = tf.layers.batchNormalization().apply(hidden) as tf.SymbolicTensor;
  const dropped = tf.layers.dropout({ rate: 0.5 }).apply(hiddenNormalized) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: 5, activation: 'softmax' }).apply(dropped) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });

  for (const layer of model.layers) {
    const values = layer.getWeights().map((weight, index) => {
      const name = layer.weights[index].originalName;
      return name.endsWith('moving_variance') ? tf.randomUniform(weight.shape, 0.5, 1.5, 'float32', 7) : tf.randomNormal(weight.shape, 0, 0.5, 'float32', 11 + index);
    });
    layer.setWeights(values);
  }
  return model;
}

describe('ONNX export', () => {
  let workDir: string;

  beforeAll(async () => {
    await initBackend();
    workDir = await mkdtemp(path.join(os.tmpdir(), 'edge-trainer-onnx-'));
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('every layer class matches tfjs', async () => {
    const model = everyLayerModel();
    const input = tf.tidy(() => tf.randomUniform([3, 17, 17, 3], -1, 1, 'float32', 3).dataSync() as Float32Array);
    const bytes = exportOnnx(model);
    const expected = runTfjs(model, input, [3, 17, 17, 3]);
    const actual = await runOnnx(bytes, input, [3, 17, 17, 3]);
    expect(actual).toHaveLength(15);
    expect(maxAbsDifference(actual, expected)).toBeLessThan(TOLERANCE);
    model.dispose();
  });

  it('every layer class passes onnx.checker', async () => {
    const model = everyLayerModel();
    const file = path.join(workDir, 'every-layer.onnx');
    await writeOnnxFile(model, file);
    expect(await checkOnnxFile(file)).toBe('ok');
    model.dispose();
  });

  it('base folds BatchNormalization and padding', async () => {
    const model = await loadEmbeddingModel('mobilenet-v2-224');
    const types = opTypes(exportOnnx(model));
    expect(types.filter((type) => type === 'Conv')).toHaveLength(52);
    expect(types).not.toContain('Mul');
    expect(types).not.toContain('Pad');
    expect(types.filter((type) => type === 'Transpose')).toHaveLength(1);
  });

  it('base embedding passes onnx.checker', async () => {
    for (const baseId of ['mobilenet-v2-224', 'mobilenet-v1-96-gray']) {
      const file = path.join(workDir, `${baseId}.onnx`);
      await writeOnnxFile(await loadEmbeddingModel(baseId), file);
      expect(await checkOnnxFile(file)).toBe('ok');
    }
  });

  it('TM image classifier matches tfjs on photos', async () => {
    const dir = path.join(testDataDir(), 'tm-exports/image-1');
    const model = await loadLayersModelDir(dir);
    const photos = gesturePhotos(45);
    const input = await loadBatch(photos, { size: 224, channels: 3 });
    const shape = [photos.length, 224, 224, 3];
    const file = path.join(workDir, 'image-1.onnx');
    await writeOnnxFile(model, file);
    expect(await checkOnnxFile(file)).toBe('ok');
    const actual = await runOnnx(exportOnnx(model), input, shape);
    const expected = runTfjs(model, input, shape);
    expect(actual).toHaveLength(photos.length * 5);
    expect(maxAbsDifference(actual, expected)).toBeLessThan(TOLERANCE);
    model.dispose();
  });

  it('TM tiny classifier with Flatten matches tfjs', async () => {
    const dir = path.join(testDataDir(), 'tm-exports/tiny-image-1');
    const model = await loadLayersModelDir(dir);
    const photos = gesturePhotos(45);
    const input = await loadBatch(photos, { size: 96, channels: 1 });
    const shape = [photos.length, 96, 96, 1];
    const actual = await runOnnx(exportOnnx(model), input, shape);
    const expected = runTfjs(model, input, shape);
    expect(actual).toHaveLength(photos.length * 26);
    expect(maxAbsDifference(actual, expected)).toBeLessThan(TOLERANCE);
    model.dispose();
  });

  it('unsupported layer names the layer', () => {
    const model = tf.sequential({ layers: [tf.layers.upSampling2d({ inputShape: [4, 4, 1], size: [2, 2], name: 'grow_twice' })] });
    let error: unknown;
    try {
      exportOnnx(model);
    } catch (caught) {
      error = caught;
    }
    expect(isEdgeTrainerError(error)).toBe(true);
    expect((error as EdgeTrainerError).code).toBe('unsupported');
    expect((error as Error).message).toContain('"grow_twice" (UpSampling2D)');
    model.dispose();
  });

  it('channelsFirst layer is rejected', () => {
    const model = tf.sequential({ layers: [tf.layers.globalAveragePooling2d({ inputShape: [2, 4, 4], dataFormat: 'channelsFirst', name: 'nchw_pool' })] });
    expect(() => exportOnnx(model)).toThrow(/"nchw_pool" \(GlobalAveragePooling2D\).*channelsFirst/);
    model.dispose();
  });
});
