import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../models/backend.js';
import { compensatedWeights } from '../../../models/exporters/tflite/gptq.js';
import { cloneGraph, type Graph } from '../../../models/exporters/tflite/graph.js';
import { lowerModel } from '../../../models/exporters/tflite/lower.js';
import { quantizeWeights, type QuantizedWeights } from '../../../models/exporters/tflite/quant-params.js';
import { writeTflite } from '../../../models/exporters/tflite/writer.js';
import { TfliteInterpreter } from '../../../models/tflite/interpreter.js';

const SIZE = 8;
const CHANNELS = 6;

/** Inputs whose channels share most of their signal, as the activations of a real base do. */
function correlatedInputs(count: number, seed: number): Float32Array[] {
  let state = seed;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  return Array.from({ length: count }, () => {
    const input = new Float32Array(SIZE * SIZE * CHANNELS);
    for (let position = 0; position < SIZE * SIZE; position++) {
      const shared = random() * 4;
      for (let channel = 0; channel < CHANNELS; channel++) input[position * CHANNELS + channel] = shared + random() * 0.2;
    }
    return input;
  });
}

/** Returns a copy of the float graph with every listed filter replaced by its int8 values times their scales. */
function dequantizedGraph(graph: Graph, weights: Map<number, QuantizedWeights>, axisOf: (index: number) => number): Graph {
  const copy = cloneGraph(graph);
  for (const [index, { values, params }] of weights) {
    const filter = copy.tensors[index];
    const axis = axisOf(index);
    const inner = filter.shape.slice(axis + 1).reduce((product, dim) => product * dim, 1);
    const data = filter.data as Float32Array;
    for (let i = 0; i < data.length; i++) data[i] = values[i] * params.scale[params.scale.length === 1 ? 0 : Math.floor(i / inner) % filter.shape[axis]];
  }
  return copy;
}

async function outputError(reference: Graph, candidate: Graph, inputs: Float32Array[]): Promise<number> {
  const expected = await TfliteInterpreter.create(writeTflite(reference), 'float');
  const actual = await TfliteInterpreter.create(writeTflite(candidate), 'rounded');
  let error = 0;
  for (const input of inputs) {
    const a = expected.run([input])[0];
    const b = actual.run([input])[0];
    for (let i = 0; i < a.length; i++) error += ((a[i] as number) - (b[i] as number)) ** 2;
  }
  expected.dispose();
  actual.dispose();
  return error;
}

describe('gptq weight rounding', () => {
  let graph: Graph;
  let compensated: Map<number, QuantizedWeights>;
  let axisOf: (index: number) => number;

  beforeAll(async () => {
    await initBackend('wasm');
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [SIZE, SIZE, CHANNELS], filters: 12, kernelSize: 1, kernelInitializer: tf.initializers.randomNormal({ seed: 3 }) }),
        tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthwiseInitializer: tf.initializers.randomNormal({ seed: 4 }) }),
        tf.layers.conv2d({ filters: 5, kernelSize: 1, kernelInitializer: tf.initializers.randomNormal({ seed: 5 }) }),
      ],
    });
    graph = lowerModel(model);
    model.dispose();
    compensated = await compensatedWeights(graph, correlatedInputs(16, 1));
    axisOf = (index) => (graph.ops.find((op) => op.inputs[1] === index)!.opcode === 'DEPTHWISE_CONV_2D' ? 3 : 0);
  });

  it('covers 1x1 and depthwise filters', () => {
    const opcodes = [...compensated.keys()].map((index) => graph.ops.find((op) => op.inputs[1] === index)!.opcode).sort();
    expect(opcodes).toEqual(['CONV_2D', 'DEPTHWISE_CONV_2D']);
  });

  it('keeps nearest-rounding scales', () => {
    for (const [index, weights] of compensated) {
      const filter = graph.tensors[index];
      const nearest = quantizeWeights(filter.data as Float32Array, filter.shape, axisOf(index), true);
      expect(weights.params).toEqual(nearest.params);
    }
  });

  it('keeps values within ±127', () => {
    for (const weights of compensated.values()) {
      expect(weights.values.every((value) => value >= -127 && value <= 127)).toBe(true);
    }
  });

  it('lowers output error on new inputs', async () => {
    const nearest = new Map<number, QuantizedWeights>();
    for (const index of compensated.keys()) {
      const filter = graph.tensors[index];
      nearest.set(index, quantizeWeights(filter.data as Float32Array, filter.shape, axisOf(index), true));
    }
    const heldOut = correlatedInputs(8, 99);
    const nearestError = await outputError(graph, dequantizedGraph(graph, nearest, axisOf), heldOut);
    const compensatedError = await outputError(graph, dequantizedGraph(graph, compensated, axisOf), heldOut);
    expect(compensatedError).toBeLessThan(nearestError);
  });
});
