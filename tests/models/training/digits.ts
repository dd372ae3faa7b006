// The sign-language digits set (6 hand signs, 60 photos each) as labelled samples, split into a
// part for training and a held-out part that training never uses.

import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDataDir } from '../../../models/paths.js';
import type { TrainingSampleInput } from '../../../models/training/samples.js';

export const DIGITS_DIR = path.join(testDataDir(), 'gestures', 'sign-language-digits');
export const DIGIT_LABELS = ['0', '1', '2', '3', '4', '5'];

/** Embedding cache shared by the test files; entries are keyed by content, so sharing is safe. */
export const TEST_CACHE_DIR = path.join(os.tmpdir(), 'edge-trainer-test-embeddings');

export function digitFiles(label: string): string[] {
  return readdirSync(path.join(DIGITS_DIR, label))
    .filter((name) => name.toLowerCase().endsWith('.jpg'))
    .sort()
    .map((name) => path.join(DIGITS_DIR, label, name));
}

/**
 * Splits each class by file name order: the last `heldOutPerClass` files are held out, and at most
 * `trainPerClass` of the others are kept for training.
 */
export function digitSamples(heldOutPerClass: number, trainPerClass = Infinity, labels = DIGIT_LABELS): { train: TrainingSampleInput[]; heldOut: TrainingSampleInput[] } {
  const train: TrainingSampleInput[] = [];
  const heldOut: TrainingSampleInput[] = [];
  for (const label of labels) {
    const files = digitFiles(label);
    const cut = files.length - heldOutPerClass;
    train.push(...files.slice(0, Math.min(cut, trainPerClass)).map((file) => ({ file, label })));
    heldOut.push(...files.slice(cut).map((file) => ({ file, label })));
  }
  return { train, heldOut };
}
