// Seeded pseudo-random numbers, so one seed reproduces a training run: the split, shuffling,
// augmentation and dropout all draw from generators derived from it.

import { createHash } from 'node:crypto';

/** Generator of uniform floats in [0, 1): mulberry32, a 32-bit state mixer (fast, not cryptographic). */
export type Random = () => number;

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Derives an independent 32-bit seed from a seed and labels, so each use gets its own stream. */
export function deriveSeed(seed: number, ...labels: (string | number)[]): number {
  const digest = createHash('sha256').update(`${seed}\0${labels.join('\0')}`).digest();
  return digest.readUInt32LE(0);
}

/** Shuffles `items` in place (Fisher-Yates) and returns it. */
export function shuffleInPlace<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Draws a uniform float in [min, max). */
export function uniform(random: Random, min: number, max: number): number {
  return min + (max - min) * random();
}
