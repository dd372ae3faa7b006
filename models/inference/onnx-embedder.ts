// Embedder on onnxruntime-node: the exported base graph (base-graph.ts) on all CPU cores.

import type * as ort from 'onnxruntime-node';
import { getBaseInfo } from '../bases/load.js';
import type { BaseInfo } from '../bases/registry.js';
import { logger } from '../log.js';
import { pretrainedDir } from '../paths.js';
import { EMBEDDING_INPUT, EMBEDDING_OUTPUT, exportBaseGraph, loadBaseGraph } from './base-graph.js';
import type { Embedder } from '../embeddings/embedder.js';
import type { InputSpec } from '../images/preprocess.js';
import { checkImageBatch } from './image-batch.js';
import { createSession, loadOnnxRuntime } from './onnxruntime.js';

/**
 * Images per session run. On MobileNetV2 (2-core AMD EPYC, scripts/bench-inference.ts) batch 4 ran
 * at 2.6 ms/image, batch 1 at 2.8 and batch 16 at 3.7, whose activations no longer fit the caches.
 */
export const DEFAULT_ONNX_BATCH_SIZE = 4;

export interface OnnxEmbedderOptions {
  /** Folder of installed bases; default pretrainedDir(). */
  root?: string;
  /** Threads per operator; default os.availableParallelism(). */
  threads?: number;
  batchSize?: number;
}

export class OnnxEmbedder implements Embedder {
  readonly runtime = 'onnx';
  readonly baseId: string;
  readonly info: BaseInfo;
  readonly input: InputSpec;
  readonly embeddingSize: number;
  private session: ort.InferenceSession | undefined;
  private readonly runtimeModule: typeof ort;
  private readonly batchSize: number;

  private constructor(baseId: string, session: ort.InferenceSession, runtimeModule: typeof ort, batchSize: number) {
    this.baseId = baseId;
    this.info = getBaseInfo(baseId);
    this.input = this.info.input;
    this.embeddingSize = this.info.embeddingSize;
    this.session = session;
    this.runtimeModule = runtimeModule;
    this.batchSize = batchSize;
  }

  /**
   * Opens the cached ONNX graph of a base, exporting it on first use. A cached graph that
   * onnxruntime rejects is exported again once before the error reaches the caller.
   */
  static async create(baseId: string, options: OnnxEmbedderOptions = {}): Promise<OnnxEmbedder> {
    const root = options.root ?? pretrainedDir();
    const runtimeModule = await loadOnnxRuntime();
    const graph = await loadBaseGraph(baseId, root);
    let session: ort.InferenceSession;
    try {
      session = await createSession(graph.bytes, graph.file ?? `${baseId} (in memory)`, options.threads);
    } catch (error) {
      if (!graph.fromCache) throw error;
      logger.warn(`cached ONNX graph ${graph.file} is unreadable, exporting it again: ${(error as Error).message}`);
      const fresh = await exportBaseGraph(baseId, root);
      session = await createSession(fresh.bytes, fresh.file ?? `${baseId} (in memory)`, options.threads);
    }
    return new OnnxEmbedder(baseId, session, runtimeModule, options.batchSize ?? DEFAULT_ONNX_BATCH_SIZE);
  }

  async embed(inputs: Float32Array, count: number): Promise<Float32Array> {
    const session = this.session;
    if (session === undefined) throw new Error('OnnxEmbedder.embed: the embedder was disposed');
    const imageLength = checkImageBatch('OnnxEmbedder.embed', this.info.input, inputs, count);
    const { size, channels } = this.info.input;

    const embeddingSize = this.info.embeddingSize;
    const embeddings = new Float32Array(count * embeddingSize);
    for (let start = 0; start < count; start += this.batchSize) {
      const batch = Math.min(this.batchSize, count - start);
      const input = new this.runtimeModule.Tensor('float32', inputs.subarray(start * imageLength, (start + batch) * imageLength), [batch, size, size, channels]);
      const outputs = await session.run({ [EMBEDDING_INPUT]: input });
      const output = outputs[EMBEDDING_OUTPUT];
      embeddings.set(output.data as Float32Array, start * embeddingSize);
      output.dispose();
    }
    return embeddings;
  }

  dispose(): void {
    void this.session?.release();
    this.session = undefined;
  }
}

/** Factory for the embedder registry (models/embeddings/embedder.ts). */
export function createOnnxEmbedder(baseId: string): Promise<Embedder> {
  return OnnxEmbedder.create(baseId);
}
