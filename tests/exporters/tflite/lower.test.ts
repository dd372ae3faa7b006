import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as flatbuffers from 'flatbuffers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../models/backend.js';
import { lowerModel } from '../../../models/exporters/tflite/lower.js';
import { samePadding } from '../../../models/exporters/tflite/fuse.js';
import { writeTflite } from '../../../models/exporters/tflite/writer.js';
import { loadImageInput } from '../../../models/images/preprocess.js';
import { loadLayersModelDir } from '../../../models/io/layers-dir.js';
import { testDataDir } from '../../../models/paths.js';
import { TfliteInterpreter } from '../../../models/tflite/interpreter.js';
import { readTflite } from '../../../models/tflite/reader.js';
import { Model } from '../../../models/tflite/schema/gen/tflite_generated.js';
import { maxAbsDifference } from './fixtures.js';

function opcodeCounts(opcodes: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const opcode of opcodes) counts[opcode] = (counts[opcode] ?? 0) + 1;
  return counts;
}

describe('tflite lowering', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('samePadding matches TensorFlow', () => {
    expect(samePadding(224, 3, 2, 1)).toEqual([0, 1]);
    expect(samePadding(7, 3, 1, 1)).toEqual([1, 1]);
    expect(samePadding(5, 3, 2, 1)).toEqual([1, 1]);
    expect(samePadding(6, 1, 2, 1)).toEqual([0, 0]);
  });

  it('float32 MobileNetV2 224 matches tfjs', async () => {
    const model = await loadLayersModelDir(path.join(testDataDir(), 'tm-exports/image-1'));
    const graph = lowerModel(model);
    // Batch norm folded, ReLU6 fused and every ZeroPadding2D merged into SAME convolutions.
    expect(opcodeCounts(graph.ops.map((op) => op.opcode))).toEqual({ CONV_2D: 35, DEPTHWISE_CONV_2D: 17, ADD: 10, MEAN: 1, FULLY_CONNECTED: 2, SOFTMAX: 1 });
    const bytes = writeTflite(graph);
    const parsed = readTflite(bytes, 'image-1.tflite');
    expect(parsed.version).toBe(3);
    expect(parsed.subgraphs[0].tensors.every((tensor) => tensor.type === 'FLOAT32' || tensor.type === 'INT32')).toBe(true);
    const conv = parsed.subgraphs[0].operators.find((op) => op.opcode === 'CONV_2D')!;
    expect(parsed.subgraphs[0].tensors[conv.inputs[1]].shape).toEqual([16, 3, 3, 3]);
    // TFLite Micro rejects a builtin op with custom_options, so not even an empty vector is written.
    const subgraph = Model.getRootAsModel(new flatbuffers.ByteBuffer(bytes)).subgraphs(0)!;
    for (let i = 0; i < subgraph.operatorsLength(); i++) expect(subgraph.operators(i)!.customOptionsArray()).toBeNull();

    const interpreter = await TfliteInterpreter.create(bytes, 'image-1.tflite');
    for (const name of ['Peace Sign.jpeg', 'open palm.png']) {
      const input = await loadImageInput(path.join(testDataDir(), 'tm-exports/image-1/samples', name), { size: 224, channels: 3 });
      const expected = tf.tidy(() => (model.predict(tf.tensor4d(input, [1, 224, 224, 3])) as tf.Tensor).dataSync());
      const actual = interpreter.run([input])[0];
      expect(maxAbsDifference(actual, expected)).toBeLessThan(1e-4);
    }
    interpreter.dispose();
    model.dispose();
  });

  it('float32 grayscale 96 with Flatten matches tfjs', async () => {
    const model = await loadLayersModelDir(path.join(testDataDir(), 'tm-exports/tiny-image-1'));
    const graph = lowerModel(model);
    expect(graph.ops.map((op) => op.opcode)).toContain('RESHAPE');
    expect(graph.ops.map((op) => op.opcode)).not.toContain('BATCH_NORM');
    const bytes = writeTflite(graph);
    const interpreter = await TfliteInterpreter.create(bytes, 'tiny.tflite');
    const input = await loadImageInput(path.join(testDataDir(), 'gestures/sign-language-digits/3/IMG_1151.JPG'), { size: 96, channels: 1 });
    const expected = tf.tidy(() => (model.predict(tf.tensor4d(input, [1, 96, 96, 1])) as tf.Tensor).dataSync());
    expect(maxAbsDifference(interpreter.run([input])[0], expected)).toBeLessThan(1e-4);
    interpreter.dispose();
    model.dispose();
  });

  it('unsupported layer names the layer', () => {
    const model = tf.sequential({
      layers: [tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, name: 'features' }), tf.layers.layerNormalization({ name: 'norm' })],
    });
    expect(() => lowerModel(model)).toThrow(/layer "sequential_\d+\/norm" \(LayerNormalization\)/);
    model.dispose();
  });
});
