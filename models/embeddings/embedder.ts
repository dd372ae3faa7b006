// Embedders turn preprocessed model inputs into embeddings: the base's feature map averaged over
// height and width (global average pooling), 1280 values for mobilenet-v2-224 and 256 for
// mobilenet-v1-96-gray. Runtimes are registered in one frozen table keyed by name.

import { activeBaseRuntime } from '../backend.js';
import { getBaseInfo } from '../bases/load.js';
import { EdgeTrainerError } from '../errors.js';
import type { InputSpec } from '../images/preprocess.js';
import { createOnnxEmbedder } from '../inference/onnx-embedder.js';
import { logger } from '../log.js';
import { createTfjsEmbedder } from './tfjs-embedder.js';

export interface Embedder {
  /** Registry name of the runtime that computes the embeddings, such as 'tfjs'. */
  readonly runtime: string;
  readonly baseId: string;
  readonly input: InputSpec;
  readonly embeddingSize: number;
  /**
   * Embeds `count` inputs laid out as count x height x width x channels (preprocess.ts values in
   * [-1, 1]) and returns count x embeddingSize values.
   */
  embed(inputs: Float32Array, count: number): Promise<Float32Array>;
  /** Releases what this embedder holds; the embedder is unusable afterwards. */
  dispose(): void;
}

export type EmbedderFactory = (baseId: string) => Promise<Embedder>;

export const EMBEDDER_FACTORIES: Readonly<Record<string, EmbedderFactory>> = Object.freeze({
  onnx: createOnnxEmbedder,
  tfjs: createTfjsEmbedder,
});

/**
 * Runtimes `auto` tries, in order; the first whose factory succeeds is used. onnx comes first
 * because it embeds several times faster than tfjs wasm (scripts/bench-inference.ts).
 */
export const AUTO_RUNTIME_ORDER: readonly string[] = Object.freeze(['onnx', 'tfjs']);

/** Creates an embedder for a base on the named runtime, or on the first runtime that works for `auto`. */
export async function createEmbedder(baseId: string, runtime = 'auto'): Promise<Embedder> {
  getBaseInfo(baseId);
  if (runtime !== 'auto') {
    const factory = EMBEDDER_FACTORIES[runtime];
    if (!factory) {
      throw new EdgeTrainerError('invalid_argument', `Unknown embedding runtime "${runtime}".`, {
        hint: `Use auto or one of: ${Object.keys(EMBEDDER_FACTORIES).join(', ')}.`,
      });
    }
    return factory(baseId);
  }
  // A tfjs backend named with --backend runs the base too, so auto then skips onnx.
  const order = activeBaseRuntime() === 'tfjs' ? ['tfjs'] : AUTO_RUNTIME_ORDER;
  let lastError: unknown;
  for (const name of order) {
    try {
      const embedder = await EMBEDDER_FACTORIES[name](baseId);
      logger.info(`embedding runtime for ${baseId}: ${name}`);
      return embedder;
    } catch (error) {
      lastError = error;
      // A missing or damaged base fails every runtime the same way, so report it at once.
      if (error instanceof EdgeTrainerError && error.code === 'missing_base') throw error;
      logger.warn(`embedding runtime ${name} failed for ${baseId}, trying the next one: ${(error as Error).message}`);
    }
  }
  throw lastError;
}
