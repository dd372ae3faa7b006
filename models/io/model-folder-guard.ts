// Keeps exports from writing over a trained model. An export into a TensorFlow.js model folder (one
// whose model.json has a modelTopology), or into a folder directly inside one, is rejected: the
// export's own report.json or FILE.json could replace the model's files, or mix with them. Folders
// further up are not checked, so a stray model.json in, say, Downloads does not block every export
// below it.

import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { EdgeTrainerError } from '../errors.js';
import { MODEL_JSON } from './layers-dir.js';

async function isLayersModelJson(file: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return false;
  }
  try {
    const json = JSON.parse(text) as { modelTopology?: unknown };
    return typeof json === 'object' && json !== null && json.modelTopology !== undefined;
  } catch {
    return false;
  }
}

/** Resolves symlinks in the part of `target` that exists, so a link into a model folder is caught. */
async function resolveExisting(target: string): Promise<string> {
  const absolute = path.resolve(target);
  const parent = path.dirname(absolute);
  try {
    return await realpath(absolute);
  } catch {
    return parent === absolute ? absolute : path.join(await resolveExisting(parent), path.basename(absolute));
  }
}

/** Throws when `target` or its parent folder contains a TensorFlow.js model, so an export must not write there. */
export async function assertNotModelFolder(target: string, exportName: string): Promise<void> {
  const folder = await resolveExisting(target);
  for (const candidate of [folder, path.dirname(folder)]) {
    if (await isLayersModelJson(path.join(candidate, MODEL_JSON))) throw modelFolderError(candidate, exportName);
  }
}

function modelFolderError(folder: string, exportName: string): EdgeTrainerError {
  return new EdgeTrainerError('invalid_argument', `Refusing to write ${exportName} into ${folder}: it contains a trained model (${MODEL_JSON}) whose files the export would replace.`, {
    path: folder,
    hint: 'Give --out a path outside the model folder, for example a new folder next to it.',
    key: 'export_into_model_folder',
    params: { folder },
  });
}
