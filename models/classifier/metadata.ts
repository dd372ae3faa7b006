// metadata.json of a classifier folder. Teachable Machine's image library reads labels,
// imageSize (default 224) and grayscale from it; Edge Trainer adds its own block under
// `edgeTrainer`, which other readers ignore.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { EdgeTrainerError } from '../errors.js';
import type { InputSpec } from '../images/preprocess.js';

export const METADATA_JSON = 'metadata.json';
export const TM_IMAGE_PACKAGE = '@teachablemachine/image';

/** Name of the preprocessing of models/images/preprocess.ts, recorded so readers can check it. */
export const PREPROCESSING_NAME = 'center-square-crop, bilinear half-pixel resize, BT.601 gray, x/127.5-1';

/** Version of the `edgeTrainer` block; raise it when a field changes meaning. */
export const EDGE_TRAINER_METADATA_VERSION = 1;

export interface EdgeTrainerMetadata {
  formatVersion: number;
  baseId: string;
  input: InputSpec;
  preprocessing: string;
  /** Reduction of the base's feature map to the head's input vector. */
  pooling: 'global-average';
  /** Summary of the training run (accuracy, epochs and so on), as the trainer reported it. */
  metrics?: Readonly<Record<string, unknown>>;
}

export interface ClassifierMetadata {
  tfjsVersion?: string;
  tmVersion?: string;
  packageName?: string;
  packageVersion?: string;
  modelName?: string;
  timeStamp?: string;
  userMetadata?: Record<string, unknown>;
  labels: string[];
  imageSize?: number;
  grayscale?: boolean;
  edgeTrainer?: EdgeTrainerMetadata;
  [key: string]: unknown;
}

/** Teachable Machine project kinds other than images, by the metadata field that marks them. */
const OTHER_MODEL_KINDS: readonly { kind: string; matches: (json: Record<string, unknown>) => boolean }[] = [
  { kind: 'audio (Teachable Machine sound project)', matches: (json) => 'wordLabels' in json || 'tfjsSpeechCommandsVersion' in json },
  { kind: 'pose (Teachable Machine pose project)', matches: (json) => json.packageName === '@teachablemachine/pose' || 'modelSettings' in json },
];

function invalidMetadata(file: string, reason: string, cause?: unknown): EdgeTrainerError {
  return new EdgeTrainerError('corrupt_model', `Invalid ${METADATA_JSON} ${file}: ${reason}.`, {
    path: file,
    hint: 'Export the model again from Edge Trainer or Teachable Machine; metadata.json must list the class labels.',
    cause,
    key: 'metadata_invalid',
    params: { file },
  });
}

/**
 * Reads and checks a classifier folder's metadata.json. A sound or pose export is rejected with
 * an `unsupported` error, because only image classifiers are handled here.
 */
export async function readClassifierMetadata(dir: string): Promise<ClassifierMetadata> {
  const file = path.join(dir, METADATA_JSON);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new EdgeTrainerError('not_found', `No ${METADATA_JSON} in ${dir}.`, {
      path: file,
      hint: 'A classifier folder needs model.json, weights.bin and metadata.json, as Teachable Machine exports them.',
      cause: error,
      key: 'metadata_not_found',
      params: { dir },
    });
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalidMetadata(file, 'it is not valid JSON', error);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalidMetadata(file, 'expected a JSON object');
  const record = json as Record<string, unknown>;

  for (const other of OTHER_MODEL_KINDS) {
    if (other.matches(record)) {
      throw new EdgeTrainerError('unsupported', `${dir} is not an image model: it is ${other.kind}.`, {
        path: dir,
        hint: 'Give a Teachable Machine image export or a model trained by edge-trainer train.',
      });
    }
  }

  const labels = record.labels;
  if (!Array.isArray(labels) || labels.length === 0 || !labels.every((label) => typeof label === 'string')) {
    throw invalidMetadata(file, '"labels" must be a non-empty list of class names');
  }
  if (record.imageSize !== undefined && !(Number.isInteger(record.imageSize) && (record.imageSize as number) > 0)) {
    throw invalidMetadata(file, `"imageSize" must be a positive whole number, got ${JSON.stringify(record.imageSize)}`);
  }
  return record as ClassifierMetadata;
}
