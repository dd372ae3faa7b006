// The classification head Teachable Machine trains on top of the frozen base: Dense(100, relu),
// then Dense(classCount, softmax) without bias. Layer names and initialisers match TM's exports
// (dense_Dense1, dense_Dense2, VarianceScaling scale 1, fan_in, normal), with seeds added.

import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from './random.js';

export interface HeadShape {
  embeddingSize: number;
  hiddenUnits: number;
  classCount: number;
}

/** Builds an untrained head whose weights depend only on `shape` and `seed`. */
export function buildHead(shape: HeadShape, seed: number): tf.Sequential {
  const initializer = (role: string) =>
    tf.initializers.varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'normal', seed: deriveSeed(seed, 'init', role) });
  return tf.sequential({
    name: 'sequential_3',
    layers: [
      tf.layers.dense({
        name: 'dense_Dense1',
        inputShape: [shape.embeddingSize],
        units: shape.hiddenUnits,
        activation: 'relu',
        useBias: true,
        kernelInitializer: initializer('dense1'),
      }),
      tf.layers.dense({
        name: 'dense_Dense2',
        units: shape.classCount,
        activation: 'softmax',
        useBias: false,
        kernelInitializer: initializer('dense2'),
      }),
    ],
  });
}

/**
 * Rows per predict call. tfjs-layers' default of 32 makes predict slice the input hundreds of
 * times, which took 38 s for 8,500 embeddings on the wasm backend against 1.6 s at 1024.
 */
const PREDICT_BATCH = 1024;

/** Runs a head over `count` embeddings (count x embeddingSize) and returns count x classCount probabilities. */
export function predictProbabilities(head: tf.LayersModel, embeddings: Float32Array, count: number, embeddingSize: number): Float32Array {
  return tf.tidy(() => {
    const output = head.predict(tf.tensor2d(embeddings, [count, embeddingSize]), { batchSize: PREDICT_BATCH }) as tf.Tensor;
    return output.dataSync() as Float32Array;
  });
}
