// Reads and writes TensorFlow.js layers models as a folder: model.json plus binary weight shards.
// tfjs has no file:// handler without tfjs-node, so these IOHandlers do the file work themselves.

import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { EdgeTrainerError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

interface ModelJson {
  modelTopology?: unknown;
  weightsManifest?: tf.io.WeightsManifestConfig;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  [key: string]: unknown;
}

function corrupt(file: string, reason: string, cause?: unknown): EdgeTrainerError {
  return new EdgeTrainerError('corrupt_model', `Invalid model file ${file}: ${reason}.`, {
    path: file,
    hint: 'Export or download the model again; the folder needs model.json and every weight file it lists.',
    cause,
    key: 'model_json_invalid',
    params: { file },
  });
}

/** Reads model.json and its weight shards from `dir` into tfjs ModelArtifacts. */
export async function readLayersArtifacts(dir: string): Promise<tf.io.ModelArtifacts> {
  const jsonPath = path.join(dir, MODEL_JSON);
  let text: string;
  try {
    text = await readFile(jsonPath, 'utf8');
  } catch (error) {
    throw new EdgeTrainerError('not_found', `No ${MODEL_JSON} in ${dir}.`, {
      path: jsonPath,
      hint: 'Point to a folder exported by Edge Trainer or Teachable Machine (TensorFlow.js).',
      cause: error,
      key: 'model_json_not_found',
      params: { dir },
    });
  }
  let json: ModelJson;
  try {
    json = JSON.parse(text) as ModelJson;
  } catch (error) {
    throw corrupt(jsonPath, 'it is not valid JSON', error);
  }
  if (typeof json !== 'object' || json === null || json.modelTopology === undefined) {
    throw corrupt(jsonPath, 'it has no modelTopology');
  }
  const manifest = json.weightsManifest ?? [];
  const specs: tf.io.WeightsManifestEntry[] = [];
  const shards: Uint8Array[] = [];
  for (const group of manifest) {
    specs.push(...group.weights);
    for (const shardName of group.paths) {
      const shardPath = path.join(dir, shardName);
      try {
        shards.push(new Uint8Array(await readFile(shardPath)));
      } catch (error) {
        throw corrupt(shardPath, 'the weight file listed in model.json is missing', error);
      }
    }
  }
  const total = shards.reduce((sum, shard) => sum + shard.length, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const shard of shards) {
    weightData.set(shard, offset);
    offset += shard.length;
  }
  const expected = specs.reduce((sum, spec) => sum + byteSize(spec), 0);
  if (expected !== total) {
    throw corrupt(jsonPath, `model.json lists ${expected} bytes of weights, the weight files hold ${total}`);
  }
  return {
    modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: specs,
    weightData: weightData.buffer,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? undefined,
  };
}

function byteSize(spec: tf.io.WeightsManifestEntry): number {
  const count = spec.shape.reduce((product, dim) => product * dim, 1);
  if (spec.quantization) {
    const dtype = spec.quantization.dtype;
    return count * (dtype === 'uint16' || dtype === 'float16' ? 2 : 1);
  }
  return count * (spec.dtype === 'bool' ? 1 : 4);
}

/** Loads a layers model from a folder, with a clear error for a missing or broken file. */
export async function loadLayersModelDir(dir: string): Promise<tf.LayersModel> {
  const artifacts = await readLayersArtifacts(dir);
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    throw corrupt(path.join(dir, MODEL_JSON), `tfjs could not build the model (${(error as Error).message})`, error);
  }
}

/**
 * Saves a layers model as `dir/model.json` and `dir/weights.bin`, each written atomically.
 * `extraJson` fields are merged into model.json next to modelTopology and weightsManifest.
 */
export async function saveLayersModelDir(model: tf.LayersModel, dir: string, extraJson: Record<string, unknown> = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData;
      const bytes = weightData === undefined ? new Uint8Array(0) : new Uint8Array(tf.io.concatenateArrayBuffers(Array.isArray(weightData) ? weightData : [weightData]));
      const json = {
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        ...extraJson,
      };
      await writeFileAtomic(path.join(dir, WEIGHTS_BIN), bytes);
      await writeFileAtomic(path.join(dir, MODEL_JSON), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

/** Returns true when `dir` contains a model.json file. */
export async function hasModelJson(dir: string): Promise<boolean> {
  try {
    return (await stat(path.join(dir, MODEL_JSON))).isFile();
  } catch {
    return false;
  }
}
