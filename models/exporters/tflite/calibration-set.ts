// Loads calibration (and evaluation) photos from a folder with one sub-folder per class, drawing
// the same number from every class. Calibrating on one class only, as Teachable Machine's tiny
// exporter does with its last class, leaves the other classes' activations outside the ranges.

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { EdgeTrainerError } from '../../errors.js';
import { isImagePath } from '../../images/decode.js';
import { loadImageInput, type InputSpec } from '../../images/preprocess.js';
import { logger } from '../../log.js';

export const DEFAULT_IMAGES_PER_CLASS = 16;

export interface CalibrationSet {
  /** Model inputs in [-1, 1], interleaved across classes. */
  inputs: Float32Array[];
  /** Index into the model's labels of each input, or -1 where the folder name is not a label. */
  labels: number[];
  files: string[];
  /** Class folders that held no image. */
  emptyClasses: string[];
}

export interface CalibrationFolderOptions {
  /** Model labels; sub-folder names are matched to them (case-insensitive) for accuracy. */
  labels?: string[];
  imagesPerClass?: number;
  /** Called after each photo is loaded or skipped, with the count done and the total. */
  onProgress?: (done: number, total: number) => void;
}

function noImages(dir: string): EdgeTrainerError {
  return new EdgeTrainerError('invalid_input', `No images in the calibration folder ${dir}.`, {
    path: dir,
    hint: 'Put JPEG, PNG or BMP photos of every class in it, one sub-folder per class (DIR/<label>/photo.jpg).',
    key: 'calibration_empty',
    params: { dir },
  });
}

/** Picks `count` items spread evenly over `items`, so a sorted capture session is sampled throughout. */
function spread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]);
}

async function listImages(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && isImagePath(entry.name)).map((entry) => path.join(dir, entry.name)).sort();
}

/**
 * Loads up to `imagesPerClass` photos of every class sub-folder of `dir` (or of `dir` itself when
 * it has no sub-folders), preprocessed for `spec`. Unreadable photos are skipped with a warning.
 */
export async function loadCalibrationFolder(dir: string, spec: InputSpec, options: CalibrationFolderOptions = {}): Promise<CalibrationSet> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new EdgeTrainerError('not_found', `Cannot read the calibration folder ${dir}.`, {
      path: dir,
      hint: 'Check the --calibration path.',
      cause: error,
      key: 'calibration_unreadable',
      params: { dir },
    });
  }
  const perClass = options.imagesPerClass ?? DEFAULT_IMAGES_PER_CLASS;
  const labelIndex = new Map((options.labels ?? []).map((label, i) => [label.toLowerCase(), i]));
  const classDirs = entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name).sort();
  const groups: { label: number; files: string[] }[] = [];
  const emptyClasses: string[] = [];
  if (classDirs.length === 0) {
    groups.push({ label: -1, files: spread(await listImages(dir), perClass * Math.max(1, labelIndex.size)) });
  }
  for (const name of classDirs) {
    const files = await listImages(path.join(dir, name));
    if (files.length === 0) {
      emptyClasses.push(name);
      continue;
    }
    groups.push({ label: labelIndex.get(name.toLowerCase()) ?? -1, files: spread(files, perClass) });
  }
  if (emptyClasses.length > 0) logger.warn(`calibration: no images in ${emptyClasses.map((name) => path.join(dir, name)).join(', ')}`);
  if (groups.every((group) => group.files.length === 0)) throw noImages(dir);

  const set: CalibrationSet = { inputs: [], labels: [], files: [], emptyClasses };
  const longest = Math.max(...groups.map((group) => group.files.length));
  const total = groups.reduce((sum, group) => sum + group.files.length, 0);
  let done = 0;
  for (let i = 0; i < longest; i++) {
    for (const group of groups) {
      const file = group.files[i];
      if (file === undefined) continue;
      options.onProgress?.(++done, total);
      try {
        set.inputs.push(await loadImageInput(file, spec));
      } catch (error) {
        logger.warn(`calibration: skipped ${file}: ${(error as Error).message}`);
        continue;
      }
      set.labels.push(group.label);
      set.files.push(file);
    }
  }
  if (set.inputs.length === 0) throw noImages(dir);
  return set;
}
