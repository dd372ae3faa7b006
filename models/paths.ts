// Locations the engine reads from, each overridable by one environment variable.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (the folder holding package.json). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Folder of installed pretrained bases: EDGE_TRAINER_MODELS, default models/pretrained. */
export function pretrainedDir(): string {
  return path.resolve(process.env.EDGE_TRAINER_MODELS ?? path.join(PROJECT_ROOT, 'models', 'pretrained'));
}

/** Folder of shared test inputs: EDGE_TRAINER_TEST_DATA, default ../shared/data beside the repository. */
export function testDataDir(): string {
  return path.resolve(process.env.EDGE_TRAINER_TEST_DATA ?? path.join(PROJECT_ROOT, '..', 'shared', 'data'));
}
