// Loads an installed pretrained base and checks its weights against the registry checksum.

import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { EdgeTrainerError } from '../errors.js';
import { MODEL_JSON, readLayersArtifacts } from '../io/layers-dir.js';
import { pretrainedDir } from '../paths.js';
import { canonicalWeightChecksum } from './checksum.js';
import { BASES, type BaseInfo, baseIds } from './registry.js';

export const INSTALL_COMMAND = 'npm run models:install -- --from <folder with the pretrained bases>';

export function getBaseInfo(id: string): BaseInfo {
  const info = BASES[id];
  if (!info) {
    throw new EdgeTrainerError('invalid_argument', `Unknown base "${id}".`, {
      hint: `Use one of: ${baseIds().join(', ')}.`,
      key: 'base_unknown',
      params: { base: id, bases: baseIds().join(', ') },
    });
  }
  return info;
}

export function baseDir(id: string, root = pretrainedDir()): string {
  return path.join(root, getBaseInfo(id).dirName);
}

/** Reads a base's artifacts and verifies their checksum; a missing or altered base is an error naming the fix. */
export async function readVerifiedBase(id: string, root = pretrainedDir()): Promise<tf.io.ModelArtifacts> {
  const info = getBaseInfo(id);
  const dir = baseDir(id, root);
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = await readLayersArtifacts(dir);
  } catch (error) {
    const missing = (error as EdgeTrainerError).code === 'not_found';
    throw new EdgeTrainerError('missing_base', `The pretrained base ${id} is ${missing ? 'not installed' : 'damaged'} at ${dir}.`, {
      path: path.join(dir, MODEL_JSON),
      hint: `Install it with: ${INSTALL_COMMAND}`,
      cause: error,
      key: missing ? 'base_missing' : 'base_damaged',
      params: { base: id, dir, command: INSTALL_COMMAND },
    });
  }
  let checksum: string;
  try {
    checksum = canonicalWeightChecksum(artifacts);
  } catch (error) {
    checksum = `unreadable (${(error as Error).message})`;
  }
  if (checksum !== info.weightChecksum) {
    throw new EdgeTrainerError('missing_base', `The pretrained base ${id} at ${dir} has the wrong weights (checksum ${checksum}).`, {
      path: dir,
      hint: `Reinstall it with: ${INSTALL_COMMAND}`,
      key: 'base_checksum',
      params: { base: id, dir, command: INSTALL_COMMAND },
    });
  }
  return artifacts;
}

const loaded = new Map<string, Promise<tf.LayersModel>>();

/** Loads a verified base as a tfjs model whose output is the feature map; cached per process and root. */
export function loadBase(id: string, root = pretrainedDir()): Promise<tf.LayersModel> {
  const key = `${root}\0${id}`;
  let pending = loaded.get(key);
  if (!pending) {
    pending = readVerifiedBase(id, root).then((artifacts) => tf.loadLayersModel(tf.io.fromMemory(artifacts)));
    pending.catch(() => loaded.delete(key));
    loaded.set(key, pending);
  }
  return pending;
}
