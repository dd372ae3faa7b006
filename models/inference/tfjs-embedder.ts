// Embedder on the active TensorFlow.js backend (tfjs-node, wasm or cpu): the reference the ONNX
// path is checked against, and the fallback when onnxruntime does not load.

import * as tf from '@tensorflow/tfjs';
import { activeBackend, initBackend } from '../backend.js';
import { getBaseInfo } from '../bases/load.js';
import type { BaseInfo } from '../bases/registry.js';
import { pretrainedDir } from '../paths.js';
import { loadEmbeddingModel } from './base-graph.js';
import type { Embedder } from './embedder.js';
import { checkImageBatch } from './image-batch.js';

export const DEFAULT_TFJS_BATCH_SIZE = 16;

export class TfjsEmbedder implements Embedder {
  readonly baseId: string;
  readonly info: BaseInfo;
  private model: tf.LayersModel | undefined;
  private readonly batchSize: number;

  private constructor(baseId: string, model: tf.LayersModel, batchSize: number) {
    this.baseId = baseId;
    this.info = getBaseInfo(baseId);
    this.model = model;
    this.batchSize = batchSize;
  }

  /** Runtime name with the tfjs backend, e.g. 'tfjs-wasm'. */
  get runtime(): string {
    return `tfjs-${activeBackend() ?? 'unknown'}`;
  }

  static async create(baseId: string, options: { root?: string; batchSize?: number } = {}): Promise<TfjsEmbedder> {
    await initBackend();
    const model = await loadEmbeddingModel(baseId, options.root ?? pretrainedDir());
    return new TfjsEmbedder(baseId, model, options.batchSize ?? DEFAULT_TFJS_BATCH_SIZE);
  }

  async embed(inputs: Float32Array, count: number): Promise<Float32Array> {
    const model = this.model;
    if (model === undefined) throw new Error('TfjsEmbedder.embed: the embedder was disposed');
    const imageLength = checkImageBatch('TfjsEmbedder.embed', this.info.input, inputs, count);
    const { size, channels } = this.info.input;
    const embeddingSize = this.info.embeddingSize;
    const embeddings = new Float32Array(count * embeddingSize);
    for (let start = 0; start < count; start += this.batchSize) {
      const batch = Math.min(this.batchSize, count - start);
      const output = tf.tidy(() => model.predict(tf.tensor4d(inputs.subarray(start * imageLength, (start + batch) * imageLength), [batch, size, size, channels])) as tf.Tensor);
      embeddings.set(await output.data<'float32'>(), start * embeddingSize);
      output.dispose();
    }
    return embeddings;
  }

  dispose(): void {
    // The wrapped base is shared through loadBase's cache, so only the reference is dropped.
    this.model = undefined;
  }
}
