// On-disk embedding cache, so retraining never recomputes an embedding. One small binary file per
// entry under <dir>/<baseId>/<first two hex digits>/, named by sample SHA-256 and variant:
//   <sha256>.v0.emb                  the original sample
//   <sha256>.v<k>.<augmentation>.emb augmented copy k, where <augmentation> is a digest of the
//                                    seed and augmentation settings that produced it
// File layout (little-endian): magic "ETEM", uint32 value count, then count float32 values.

import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { logger } from '../log.js';

export interface EmbeddingKey {
  /** SHA-256 of the sample content (or of the raw input values), lowercase hex. */
  sha256: string;
  baseId: string;
  /** 0 for the sample as it is, k >= 1 for augmented copy k. */
  variant: number;
  /** Digest of the seed and augmentation settings; required when variant >= 1. */
  augmentation?: string;
}

const MAGIC = 0x4d455445; // "ETEM" read as a little-endian uint32
const HEADER_BYTES = 8;

// NOTE: nothing prunes this cache. Entries of deleted samples or old augmentation settings stay
// until the folder is deleted, which is safe because every entry can be recomputed.
export class EmbeddingCache {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  entryPath(key: EmbeddingKey): string {
    if (key.variant > 0 && !key.augmentation) throw new Error(`embedding cache: variant ${key.variant} needs an augmentation digest`);
    const suffix = key.variant === 0 ? 'v0' : `v${key.variant}.${key.augmentation}`;
    return path.join(this.dir, key.baseId, key.sha256.slice(0, 2), `${key.sha256}.${suffix}.emb`);
  }

  /** Returns the cached embedding, or undefined when it is missing or its file is damaged. */
  async get(key: EmbeddingKey, size: number): Promise<Float32Array | undefined> {
    const file = this.entryPath(key);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      return undefined;
    }
    if (bytes.length !== HEADER_BYTES + size * 4 || bytes.readUInt32LE(0) !== MAGIC || bytes.readUInt32LE(4) !== size) {
      logger.warn(`embedding cache: ignoring damaged entry ${file}; it will be recomputed`);
      return undefined;
    }
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++) values[i] = bytes.readFloatLE(HEADER_BYTES + i * 4);
    return values;
  }

  async put(key: EmbeddingKey, values: Float32Array): Promise<void> {
    const file = this.entryPath(key);
    const bytes = Buffer.alloc(HEADER_BYTES + values.length * 4);
    bytes.writeUInt32LE(MAGIC, 0);
    bytes.writeUInt32LE(values.length, 4);
    for (let i = 0; i < values.length; i++) bytes.writeFloatLE(values[i], HEADER_BYTES + i * 4);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, bytes);
  }
}
