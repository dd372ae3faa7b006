// Embedders turn preprocessed model inputs into embeddings: the base's feature map averaged over
// height and width (global average pooling), 1280 values for mobilenet-v2-224 and 256 for
// mobilenet-v1-96-gray. Runtimes are registered in one frozen table keyed by name.

import { getBaseInfo } from '../bases/load.js';
import { EdgeTrainerError } from '../errors.js';
import type { InputSpec } from '../images/preprocess.js';
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
  tfjs: createTfjsEmbedder,
});

/** Runtimes `auto` tries, in order; the first whose factory succeeds is used. */
export const AUTO_RUNTIME_ORDER: readonly string[] = Object.freeze(['tfjs']);

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
  let lastError: unknown;
  for (const name of AUTO_RUNTIME_ORDER) {
    try {
      return await EMBEDDER_FACTORIES[name](baseId);
    } catch (error) {
      lastError = error;
      // A missing or damaged base fails every runtime the same way, so report it at once.
      if (error instanceof EdgeTrainerError && error.code === 'missing_base') throw error;
    }
  }
  throw lastError;
}
