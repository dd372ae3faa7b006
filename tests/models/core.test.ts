import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../models/backend.js';
import { loadBase } from '../../models/bases/load.js';
import { loadImageInput } from '../../models/images/preprocess.js';
import { testDataDir } from '../../models/paths.js';
import { TfliteInterpreter } from '../../models/tflite/interpreter.js';
import { readTflite } from '../../models/tflite/reader.js';

describe('core', () => {
  it('base embeds a real photo', async () => {
    await initBackend('wasm');
    const base = await loadBase('mobilenet-v2-224');
    const file = path.join(testDataDir(), 'gestures/sign-language-digits/0/IMG_1118.JPG');
    const input = await loadImageInput(file, { size: 224, channels: 3 });
    expect(input.reduce((min, value) => Math.min(min, value))).toBeGreaterThanOrEqual(-1);
    expect(input.reduce((max, value) => Math.max(max, value))).toBeLessThanOrEqual(1);
    const features = base.predict(tf.tensor4d(input, [1, 224, 224, 3])) as tf.Tensor;
    expect(features.shape).toEqual([1, 7, 7, 1280]);
  });

  it('reader and interpreter agree on hello_world', async () => {
    const file = path.join(testDataDir(), 'tflite-reference/hello_world/hello_world_int8.tflite');
    const bytes = readFileSync(file);
    const model = readTflite(bytes, file);
    expect(model.subgraphs[0].operators.map((op) => op.opcode)).toEqual(['FULLY_CONNECTED', 'FULLY_CONNECTED', 'FULLY_CONNECTED']);
    const interpreter = await TfliteInterpreter.create(bytes, file);
    expect(interpreter.inputs[0].dataType).toBe('int8');
    expect(interpreter.run([new Int8Array([0])])[0]).toHaveLength(1);
    interpreter.dispose();
  });
});
