// The TensorFlow.js embedder: runs the installed base on the active tfjs backend.

import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend.js';
import { getBaseInfo, loadBase } from '../bases/load.js';
import type { Embedder } from './embedder.js';

export async function createTfjsEmbedder(baseId: string): Promise<Embedder> {
  const info = getBaseInfo(baseId);
  await initBackend();
  const base = await loadBase(baseId);
  const { size, channels } = info.input;
  const inputLength = size * size * channels;
  let disposed = false;

  return {
    runtime: 'tfjs',
    baseId,
    input: info.input,
    embeddingSize: info.embeddingSize,
    async embed(inputs: Float32Array, count: number): Promise<Float32Array> {
      if (disposed) throw new Error('tfjs embedder: embed called after dispose');
      if (inputs.length !== count * inputLength) {
        throw new Error(`tfjs embedder: expected ${count} x ${size} x ${size} x ${channels} = ${count * inputLength} values, got ${inputs.length}`);
      }
      const pooled = tf.tidy(() => {
        const features = base.predict(tf.tensor4d(inputs, [count, size, size, channels])) as tf.Tensor4D;
        return features.mean([1, 2]);
      });
      try {
        return (await pooled.data()) as Float32Array;
      } finally {
        pooled.dispose();
      }
    },
    // NOTE: the base model itself stays loaded: loadBase caches it for the whole process.
    dispose() {
      disposed = true;
    },
  };
}
