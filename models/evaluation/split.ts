// The validation split. When samples carry a capture session, whole sessions go to one side:
// frames of one webcam burst are near-duplicates, so splitting them at random puts copies of
// validation images into training and inflates validation accuracy. Without sessions the split
// is stratified: each class gives ceil(fraction x its count) samples, chosen at random.

import { type Random, createRandom, deriveSeed, shuffleInPlace } from '../training/random.js';

export interface SplitSample {
  /** Class index. */
  label: number;
  session?: string;
}

export type SplitMethod = 'session' | 'stratified' | 'none';

export interface ValidationSplit {
  /** Sample indices for training, ascending. */
  train: number[];
  /** Sample indices for validation, ascending. */
  validation: number[];
  /** 'session' when at least one class was split by whole sessions. */
  method: SplitMethod;
  /** Plain-language caveats, such as a class with a single session. */
  notes: string[];
}

/** Validation size for a class of `count` samples: ceil(fraction x count), leaving at least one for training. */
export function validationCount(count: number, fraction: number): number {
  if (fraction <= 0 || count < 2) return 0;
  return Math.min(Math.ceil(fraction * count), count - 1);
}

function groupBySession(indices: number[], samples: readonly SplitSample[]): number[][] {
  const groups = new Map<string, number[]>();
  for (const index of indices) {
    // A sample without a session is its own group.
    const key = samples[index].session === undefined ? `\0${index}` : `s:${samples[index].session}`;
    const group = groups.get(key);
    if (group) group.push(index);
    else groups.set(key, [index]);
  }
  return [...groups.values()];
}

/**
 * Picks whole sessions for validation until `target` samples are held out. A session that would
 * push the held-out part past max(2 x target, a third of the class) stays in training, and one
 * session always does. Returns undefined when no session fits.
 */
function holdOutSessions(groups: number[][], target: number, classSize: number, random: Random): { train: number[]; validation: number[] } | undefined {
  const limit = Math.max(2 * target, Math.ceil(classSize / 3));
  const train: number[] = [];
  const validation: number[] = [];
  let remainingGroups = groups.length;
  for (const group of shuffleInPlace([...groups], random)) {
    const fits = validation.length < target && validation.length + group.length <= limit && remainingGroups > 1;
    if (fits) {
      validation.push(...group);
      remainingGroups--;
    } else {
      train.push(...group);
    }
  }
  return validation.length > 0 ? { train, validation } : undefined;
}

/**
 * Splits samples into training and validation sets, reproducibly for a seed. `labelNames` is
 * used in the notes only.
 */
export function splitTrainValidation(samples: readonly SplitSample[], fraction: number, seed: number, labelNames: readonly string[] = []): ValidationSplit {
  const train: number[] = [];
  const validation: number[] = [];
  const notes: string[] = [];
  let usedSessions = false;
  const classCount = samples.reduce((highest, sample) => Math.max(highest, sample.label + 1), 0);

  for (let label = 0; label < classCount; label++) {
    const name = labelNames[label] ?? String(label);
    const members = samples.flatMap((sample, index) => (sample.label === label ? [index] : []));
    const target = validationCount(members.length, fraction);
    const random = createRandom(deriveSeed(seed, 'split', label));
    if (target === 0) {
      train.push(...members);
      if (fraction > 0 && members.length > 0) notes.push(`Class "${name}" has only ${members.length} sample, so none of it is held out for validation.`);
      continue;
    }

    const hasSessions = members.some((index) => samples[index].session !== undefined);
    const groups = groupBySession(members, samples);
    if (hasSessions && groups.length >= 2) {
      const heldOut = holdOutSessions(groups, target, members.length, random);
      if (heldOut) {
        usedSessions = true;
        validation.push(...heldOut.validation);
        train.push(...heldOut.train);
        continue;
      }
      notes.push(`Class "${name}" has capture sessions too large to hold one out whole, so its validation samples are picked at random and its validation accuracy may be optimistic.`);
    } else if (hasSessions) {
      notes.push(`Class "${name}" has a single capture session, so its validation samples come from the same session as its training samples and its validation accuracy may be optimistic.`);
    }
    shuffleInPlace(members, random);
    validation.push(...members.slice(0, target));
    train.push(...members.slice(target));
  }

  train.sort((a, b) => a - b);
  validation.sort((a, b) => a - b);
  let method: SplitMethod = usedSessions ? 'session' : 'stratified';
  if (validation.length === 0) method = 'none';
  return { train, validation, method, notes };
}
