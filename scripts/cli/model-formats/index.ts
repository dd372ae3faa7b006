// Model formats the predict, eval and info commands read, tried in order. To read another
// format, write a ModelFormat in its own file and add it here.

import { stat } from 'node:fs/promises';
import { EdgeTrainerError } from '../../../models/errors.js';
import { tfjsLayersFormat } from './tfjs-layers.js';
import { tfliteFormat } from './tflite.js';
import type { ModelFormat, OpenedModel } from './types.js';

export const MODEL_FORMATS: readonly ModelFormat[] = Object.freeze([tfjsLayersFormat, tfliteFormat]);

/** Opens `modelPath` with the first format that matches it. */
export async function openModel(modelPath: string): Promise<OpenedModel> {
  try {
    await stat(modelPath);
  } catch (error) {
    throw new EdgeTrainerError('not_found', `Model not found: ${modelPath}.`, {
      path: modelPath,
      hint: 'Give the folder written by edge-trainer train or exported by Teachable Machine, or a .tflite file.',
      cause: error,
      key: 'model_not_found',
      params: { path: modelPath },
    });
  }
  for (const format of MODEL_FORMATS) {
    if (await format.matches(modelPath)) return format.open(modelPath);
  }
  throw new EdgeTrainerError('invalid_input', `${modelPath} is not a model this command reads (formats: ${MODEL_FORMATS.map((format) => format.id).join(', ')}).`, {
    path: modelPath,
    hint: 'Give a folder with model.json, metadata.json and weights.bin, as edge-trainer train or Teachable Machine writes it, or a .tflite file with its labels.txt.',
  });
}
