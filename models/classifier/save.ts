// Writes a classifier folder in Teachable Machine's image export layout (model.json,
// weights.bin, metadata.json) plus any extra files such as training reports. The folder is
// built beside the target and renamed into place, so a failure leaves the old folder untouched.

import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getBaseInfo } from '../bases/load.js';
import { EdgeTrainerError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { MODEL_JSON, saveLayersModelDir } from '../io/layers-dir.js';
import {
  type ClassifierMetadata,
  EDGE_TRAINER_METADATA_VERSION,
  METADATA_JSON,
  PREPROCESSING_NAME,
  TM_IMAGE_PACKAGE,
} from './metadata.js';

export interface SaveClassifierRequest {
  model: tf.LayersModel;
  labels: readonly string[];
  baseId: string;
  /** Training summary stored as metadata.json edgeTrainer.metrics. */
  report?: Readonly<Record<string, unknown>>;
  /** metadata.json modelName; Teachable Machine shows it, default "edge-trainer-model". */
  modelName?: string;
  /** Further files to write into the folder, by file name (report.json, report.svg and so on). */
  extraFiles?: Readonly<Record<string, string | Uint8Array>>;
}

const DEFAULT_MODEL_NAME = 'edge-trainer-model';

function checkLabels(labels: readonly string[], model: tf.LayersModel): void {
  const outputShape = model.outputs[0].shape;
  const classCount = outputShape[outputShape.length - 1];
  if (labels.length !== classCount) {
    throw new EdgeTrainerError('invalid_argument', `saveClassifierDir: expected ${classCount} labels for the model's output, got ${labels.length}.`);
  }
  const seen = new Set<string>();
  for (const label of labels) {
    if (label.trim() === '') throw new EdgeTrainerError('invalid_argument', 'saveClassifierDir: a class label is empty.');
    if (seen.has(label)) throw new EdgeTrainerError('invalid_argument', `saveClassifierDir: the class label "${label}" appears twice.`);
    seen.add(label);
  }
}

/**
 * Rejects a target that exists but is not a classifier folder, so that a mistyped --out never
 * replaces a folder of photos or other work.
 */
async function checkTarget(dir: string): Promise<boolean> {
  let entries: string[];
  try {
    if (!(await stat(dir)).isDirectory()) {
      throw new EdgeTrainerError('invalid_argument', `Output path ${dir} is a file, not a folder.`, { path: dir, hint: 'Choose a new folder name for the model.' });
    }
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if (entries.length > 0 && !entries.includes(MODEL_JSON)) {
    throw new EdgeTrainerError('invalid_argument', `Output folder ${dir} is not empty and contains no model.json, so it was not replaced.`, {
      path: dir,
      hint: 'Choose a new or empty folder, or the folder of an earlier model to replace it.',
    });
  }
  return entries.length > 0;
}

export function buildMetadata(request: SaveClassifierRequest): ClassifierMetadata {
  const info = getBaseInfo(request.baseId);
  return {
    tfjsVersion: tf.version.tfjs,
    packageName: TM_IMAGE_PACKAGE,
    modelName: request.modelName ?? DEFAULT_MODEL_NAME,
    timeStamp: new Date().toISOString(),
    userMetadata: {},
    labels: [...request.labels],
    imageSize: info.input.size,
    ...(info.input.channels === 1 ? { grayscale: true } : {}),
    edgeTrainer: {
      formatVersion: EDGE_TRAINER_METADATA_VERSION,
      baseId: info.id,
      input: { ...info.input },
      preprocessing: PREPROCESSING_NAME,
      pooling: 'global-average',
      ...(request.report ? { metrics: request.report } : {}),
    },
  };
}

/** Writes `request.model` and its metadata as the classifier folder `dir`, replacing an older model there. */
export async function saveClassifierDir(request: SaveClassifierRequest, dir: string): Promise<void> {
  const target = path.resolve(dir);
  checkLabels(request.labels, request.model);
  const metadata = buildMetadata(request);
  const replacing = await checkTarget(target);

  await mkdir(path.dirname(target), { recursive: true });
  const suffix = randomBytes(4).toString('hex');
  const staging = `${target}.partial-${suffix}`;
  try {
    await saveLayersModelDir(request.model, staging);
    await writeFileAtomic(path.join(staging, METADATA_JSON), `${JSON.stringify(metadata, null, 2)}\n`);
    for (const [name, content] of Object.entries(request.extraFiles ?? {})) {
      await writeFileAtomic(path.join(staging, name), content);
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }

  if (!replacing) {
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
    return;
  }
  const previous = `${target}.previous-${suffix}`;
  await rename(target, previous);
  try {
    await rename(staging, target);
  } catch (error) {
    await rename(previous, target);
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  await rm(previous, { recursive: true, force: true });
}
