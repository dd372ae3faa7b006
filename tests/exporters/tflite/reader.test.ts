import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeTflite } from '../../../models/exporters/tflite/describe.js';
import { detectInputScaling, predictTflite } from '../../../models/exporters/tflite/predict.js';
import { loadImageInput } from '../../../models/images/preprocess.js';
import { testDataDir } from '../../../models/paths.js';
import { readTflite } from '../../../models/tflite/reader.js';
import { argmax } from './fixtures.js';

const TM_TFLITE = path.join(testDataDir(), 'tm-tflite-keras');
const REFERENCE = path.join(testDataDir(), 'tflite-reference');

describe('tflite reader on other converters', () => {
  it('TM float export: ops and float io', () => {
    const description = describeTflite(readFileSync(path.join(TM_TFLITE, 'fruit/converted_tflite/model_unquant.tflite')));
    expect(description.opCounts).toEqual({ PAD: 5, CONV_2D: 35, DEPTHWISE_CONV_2D: 17, ADD: 10, MEAN: 1, FULLY_CONNECTED: 2, SOFTMAX: 1 });
    expect(description.inputs[0].dtype).toBe('float32');
    expect(description.inputs[0].shape).toEqual([1, 224, 224, 3]);
    expect(description.outputs[0].shape).toEqual([1, 6]);
  });

  it('TM quantized exports: uint8 io in [0, 1] and [-1, 1]', () => {
    const fruit = describeTflite(readFileSync(path.join(TM_TFLITE, 'fruit/converted_tflite_quantized/model.tflite')));
    expect(fruit.inputs[0].dtype).toBe('uint8');
    expect(fruit.inputs[0].scale).toBeCloseTo(1 / 255, 8);
    expect(fruit.inputs[0].zeroPoint).toBe(0);
    expect(detectInputScaling(fruit.inputs[0])).toBe('zero-to-one');
    expect(fruit.outputs[0].scale).toBe(1 / 256);
    const plant = describeTflite(readFileSync(path.join(TM_TFLITE, 'plant/converted_tflite_quantized/model.tflite')));
    expect(plant.inputs[0].zeroPoint).toBe(127);
    expect(detectInputScaling(plant.inputs[0])).toBe('minus-one-to-one');
  });

  it('TM quantized export: per-channel weights', () => {
    const model = readTflite(readFileSync(path.join(TM_TFLITE, 'fruit/converted_tflite_quantized/model.tflite')));
    const graph = model.subgraphs[0];
    const depthwise = graph.operators.find((op) => op.opcode === 'DEPTHWISE_CONV_2D')!;
    const filter = graph.tensors[depthwise.inputs[1]];
    expect(filter.type).toBe('INT8');
    expect(filter.quantization!.quantizedDimension).toBe(3);
    expect(filter.quantization!.scale).toHaveLength(filter.shape[3]);
  });

  it('TFLite Micro reference models', () => {
    const person = describeTflite(readFileSync(path.join(REFERENCE, 'person_detect/person_detect.tflite')));
    expect(person.opCounts).toEqual({ DEPTHWISE_CONV_2D: 14, CONV_2D: 14, AVERAGE_POOL_2D: 1, RESHAPE: 1, SOFTMAX: 1 });
    expect(person.inputs[0].dtype).toBe('int8');
    expect(person.inputs[0].shape).toEqual([1, 96, 96, 1]);
    const speech = describeTflite(readFileSync(path.join(REFERENCE, 'micro_speech/micro_speech_quantized.tflite')));
    expect(speech.opCounts).toEqual({ RESHAPE: 1, DEPTHWISE_CONV_2D: 1, FULLY_CONNECTED: 1, SOFTMAX: 1 });
    expect(speech.outputs[0].scale).toBe(1 / 256);
    expect(speech.outputs[0].zeroPoint).toBe(-128);
    // The audio front end uses custom Signal* ops; describe lists them by their custom code.
    const preprocessor = describeTflite(readFileSync(path.join(REFERENCE, 'micro_speech/audio_preprocessor_int8.tflite')));
    expect(preprocessor.inputs[0].dtype).toBe('int16');
    expect(preprocessor.opCounts.CUSTOM).toBe(9);
    expect(preprocessor.ops.map((op) => op.opcode)).toContain('SignalFilterBankLog');
  });

  it('predictTflite classifies likedislike photos', async () => {
    const file = path.join(TM_TFLITE, 'likedislike/converted_tflite/model_unquant.tflite');
    const labels = readFileSync(path.join(TM_TFLITE, 'likedislike/converted_tflite/labels.txt'), 'utf8').trim().split('\n').map((line) => line.replace(/^\d+ /, ''));
    for (const name of ['Like', 'Dislike']) {
      const input = await loadImageInput(path.join(TM_TFLITE, 'likedislike/images', `${name}.jpg`), { size: 224, channels: 3 });
      const scores = await predictTflite(file, input);
      expect(labels[argmax(scores)]).toBe(name);
    }
  });

  it('truncated file is a clear error', () => {
    const file = path.join(TM_TFLITE, 'fruit/converted_tflite_quantized/model.tflite');
    const bytes = readFileSync(file);
    for (const length of [0, 7, 100, 4096, Math.floor(bytes.length / 2), bytes.length - 16, bytes.length - 1]) {
      expect(() => readTflite(bytes.subarray(0, length), 'model.tflite'), `length ${length}`).toThrow(/Invalid TFLite file model\.tflite/);
    }
  });

  it('wrong file identifier is a clear error', () => {
    const bytes = new Uint8Array(readFileSync(path.join(REFERENCE, 'hello_world/hello_world_int8.tflite')));
    bytes[4] = 'X'.charCodeAt(0);
    expect(() => readTflite(bytes, 'hello.tflite')).toThrow(/file identifier is not "TFL3"/);
  });
});
