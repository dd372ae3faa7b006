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

  /** Takes cache hits and loads the inputs of the misses of the batch starting at `start`. */
  const prepareBatch = async (start: number) => {
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
    return { end: start + batch.length, ready: loaded.filter((value) => value !== undefined) };
  };

  throwIfAborted(options.signal, 'Computing embeddings');
  // The next batch is decoded (by libvips, off the main thread) while the base runs on this one.
  let next: ReturnType<typeof prepareBatch> | undefined = items.length > 0 ? prepareBatch(0) : undefined;
  try {
    while (next) {
      const { end, ready } = await next;
      next = end < items.length ? prepareBatch(end) : undefined;
      throwIfAborted(options.signal, 'Computing embeddings');

      if (ready.length > 0) {
        const inputs = new Float32Array(ready.length * inputLength);
        ready.forEach((value, row) => inputs.set(value.input, row * inputLength));
        const embeddings = await embedder.embed(inputs, ready.length);
        const writes = ready.map(async (value, row) => {
          const vector = embeddings.slice(row * size, (row + 1) * size);
          result.vectors[value.entry.index] = vector;
          if (value.entry.item.key && options.cache) await options.cache.put(value.entry.item.key, vector);
        });
        await Promise.all(writes);
      }
      options.onProgress?.({ done: end, total: items.length, cached: result.cached });
    }
  } catch (error) {
    // Settle the prefetched batch so its failure cannot surface as an unhandled rejection.
    next?.catch(() => undefined);
    throw error;
  }
  result.failures.sort((a, b) => a.index - b.index);
  return result;
}
