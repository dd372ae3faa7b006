// Keeps exports from writing over a trained model. An export into a TensorFlow.js model folder (one
// whose model.json has a modelTopology), or anywhere inside one, is rejected: the export's own
// report.json or FILE.json could replace the model's files, and its files would mix with them.

import { readFile } from 'node:fs/promises';
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

/** Throws when `target` or a folder above it contains a TensorFlow.js model, so an export must not write there. */
export async function assertNotModelFolder(target: string, exportName: string): Promise<void> {
  for (let folder = path.resolve(target); ; folder = path.dirname(folder)) {
    if (await isLayersModelJson(path.join(folder, MODEL_JSON))) throw modelFolderError(folder, exportName);
    if (path.dirname(folder) === folder) return;
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
