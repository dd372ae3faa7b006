// Computes embeddings for many samples in batches, reading and writing the cache, so memory stays
// bounded by one batch of model inputs plus the embeddings themselves.

import { EdgeTrainerError, isEdgeTrainerError } from '../errors.js';
import { logger } from '../log.js';
import type { EmbeddingCache, EmbeddingKey } from './cache.js';
import type { Embedder } from './embedder.js';

export const DEFAULT_EMBEDDING_BATCH = 16;

export interface EmbeddingItem {
  /** Cache key; items without one are always computed. */
  key?: EmbeddingKey;
  /** File name (or other label) used in warnings. */
  source: string;
  /** Produces the preprocessed model input (height x width x channels). */
  load: () => Promise<Float32Array>;
}

export interface EmbeddingProgress {
  done: number;
  total: number;
  /** How many of `done` came from the cache. */
  cached: number;
}

export interface ComputeEmbeddingsOptions {
  cache?: EmbeddingCache;
  batchSize?: number;
  onProgress?: (progress: EmbeddingProgress) => void;
  signal?: AbortSignal;
}

export interface EmbeddingFailure {
  index: number;
  source: string;
  error: EdgeTrainerError;
}

export interface ComputedEmbeddings {
  /** One embedding per item, or null where the item's input could not be loaded. */
  vectors: (Float32Array | null)[];
  failures: EmbeddingFailure[];
  /** How many embeddings came from the cache. */
  cached: number;
}

export function throwIfAborted(signal: AbortSignal | undefined, operation: string): void {
  if (signal?.aborted) {
    throw new EdgeTrainerError('cancelled', `${operation} was cancelled.`, { hint: 'Start it again when ready; finished work is kept in the cache.' });
  }
}

/**
 * Embeds every item, taking cached embeddings where the key matches and caching the new ones.
 * When an item's input fails to load with an EdgeTrainerError (missing or corrupt file), it is
 * logged as a warning with its path and reported in `failures`. Other errors propagate. Honours
 * `signal` between batches by throwing a `cancelled` error.
 */
export async function computeEmbeddings(items: readonly EmbeddingItem[], embedder: Embedder, options: ComputeEmbeddingsOptions = {}): Promise<ComputedEmbeddings> {
  const batchSize = options.batchSize ?? DEFAULT_EMBEDDING_BATCH;
  const size = embedder.embeddingSize;
  const { size: side, channels } = embedder.input;
  const inputLength = side * side * channels;
  const result: ComputedEmbeddings = { vectors: new Array(items.length).fill(null), failures: [], cached: 0 };
  let done = 0;

  for (let start = 0; start < items.length; start += batchSize) {
    throwIfAborted(options.signal, 'Computing embeddings');
    const batch = items.slice(start, start + batchSize).map((item, offset) => ({ item, index: start + offset }));

    const misses: typeof batch = [];
    for (const entry of batch) {
      const hit = entry.item.key && options.cache ? await options.cache.get(entry.item.key, size) : undefined;
      if (hit) {
        result.vectors[entry.index] = hit;
        result.cached++;
      } else {
        misses.push(entry);
      }
    }

    const loaded = await Promise.all(
      misses.map(async (entry) => {
        try {
          return { entry, input: await entry.item.load() };
        } catch (error) {
          if (!isEdgeTrainerError(error)) throw error;
          logger.warn(`skipping ${entry.item.source}: ${error.describe()}`);
          result.failures.push({ index: entry.index, source: entry.item.source, error });
          return undefined;
        }
      }),
    );
    const ready = loaded.filter((value) => value !== undefined);
    if (ready.length > 0) {
      const inputs = new Float32Array(ready.length * inputLength);
      ready.forEach((value, row) => inputs.set(value.input, row * inputLength));
      const embeddings = await embedder.embed(inputs, ready.length);
      for (const [row, value] of ready.entries()) {
        const vector = embeddings.slice(row * size, (row + 1) * size);
        result.vectors[value.entry.index] = vector;
        if (value.entry.item.key && options.cache) await options.cache.put(value.entry.item.key, vector);
      }
    }

    done += batch.length;
    options.onProgress?.({ done, total: items.length, cached: result.cached });
  }
  result.failures.sort((a, b) => a.index - b.index);
  return result;
}
