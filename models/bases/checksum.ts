// Checksum of a model's weight values that ignores how they are sharded or ordered on disk.
// It is SHA-256 over every weight sorted by name. Each weight adds its name, a NUL byte, its shape
// as decimal text joined by "x", a NUL byte, then its values as little-endian float32.

import { createHash } from 'node:crypto';
import type * as tf from '@tensorflow/tfjs';

export function canonicalWeightChecksum(artifacts: tf.io.ModelArtifacts, keep: (name: string) => boolean = () => true): string {
  const specs = artifacts.weightSpecs ?? [];
  const data = artifacts.weightData;
  if (data === undefined || Array.isArray(data)) throw new Error('canonicalWeightChecksum: expected one weight buffer');

  const entries: { name: string; shape: number[]; bytes: Uint8Array }[] = [];
  let offset = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((product, dim) => product * dim, 1);
    if (spec.dtype !== 'float32' || spec.quantization) throw new Error(`canonicalWeightChecksum: ${spec.name} is not plain float32`);
    const bytes = new Uint8Array(data, offset, count * 4);
    offset += count * 4;
    if (keep(spec.name)) entries.push({ name: spec.name, shape: spec.shape, bytes });
  }
  // Code-unit order, not localeCompare, so the checksum is the same under every locale.
  entries.sort((a, b) => {
    if (a.name === b.name) return 0;
    return a.name < b.name ? -1 : 1;
  });

  const hash = createHash('sha256');
  for (const entry of entries) {
    hash.update(entry.name);
    hash.update('\0');
    hash.update(entry.shape.join('x'));
    hash.update('\0');
    hash.update(entry.bytes);
  }
  return hash.digest('hex');
}
