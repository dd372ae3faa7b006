// A whole classifier (base, pooling and head, as in a Teachable Machine model folder) exported to
// ONNX in memory and run on onnxruntime-node, for prediction and the app's live preview.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type * as ort from 'onnxruntime-node';
import { EdgeTrainerError } from '../errors.js';
import { exportOnnx } from '../exporters/onnx/export.js';
import type { InputSpec } from '../images/preprocess.js';
import { loadLayersModelDir } from '../io/layers-dir.js';
import { checkImageBatch } from './image-batch.js';
import { createSession, loadOnnxRuntime } from './onnxruntime.js';

export const CLASSIFIER_INPUT = 'input';
export const CLASSIFIER_OUTPUT = 'probabilities';
const METADATA_JSON = 'metadata.json';

/** Reads the class labels of a model folder from metadata.json; an error names the file and the fix. */
export async function readLabels(dir: string): Promise<string[]> {
  const file = path.join(dir, METADATA_JSON);
  let labels: unknown;
  try {
    labels = (JSON.parse(await readFile(file, 'utf8')) as { labels?: unknown }).labels;
  } catch (error) {
    throw new EdgeTrainerError('corrupt_model', `Could not read the class labels from ${file}: ${(error as Error).message}.`, {
      path: file,
      hint: 'Export the model again; the folder needs the metadata.json written with model.json.',
      cause: error,
    });
  }
  if (!Array.isArray(labels) || !labels.every((label) => typeof label === 'string')) {
    throw new EdgeTrainerError('corrupt_model', `Invalid ${file}: "labels" is not a list of strings.`, {
      path: file,
      hint: 'Export the model again from Edge Trainer or Teachable Machine.',
    });
  }
  return labels;
}

export class OnnxClassifier {
  readonly labels: string[];
  readonly input: InputSpec;
  private session: ort.InferenceSession | undefined;
  private readonly runtimeModule: typeof ort;

  private constructor(labels: string[], input: InputSpec, session: ort.InferenceSession, runtimeModule: typeof ort) {
    this.labels = labels;
    this.input = input;
    this.session = session;
    this.runtimeModule = runtimeModule;
  }

  /** Exports a loaded classifier whose input is [batch, size, size, channels] and opens it. */
  static async fromModel(model: tf.LayersModel, labels: string[], source = model.name): Promise<OnnxClassifier> {
    const [, height, width, channels] = model.inputs[0].shape;
    if (model.inputs.length !== 1 || height === null || height !== width || (channels !== 1 && channels !== 3)) {
      throw new EdgeTrainerError('unsupported', `${source}: expected one square image input with 1 or 3 channels, got ${JSON.stringify(model.inputs.map((input) => input.shape))}.`, {
        hint: 'Use a classifier trained by Edge Trainer or exported by Teachable Machine.',
      });
    }
    const outputSize = model.outputs[0].shape[1];
    if (model.outputs.length !== 1 || outputSize !== labels.length) {
      throw new EdgeTrainerError('corrupt_model', `${source}: the model has ${String(outputSize)} outputs but ${labels.length} labels.`, {
        hint: 'Export the model again; model.json and metadata.json come from different models.',
      });
    }
    const runtimeModule = await loadOnnxRuntime();
    const bytes = exportOnnx(model, { inputNames: [CLASSIFIER_INPUT], outputNames: [CLASSIFIER_OUTPUT], metadata: { labels: JSON.stringify(labels) } });
    const session = await createSession(bytes, source);
    return new OnnxClassifier(labels, { size: height, channels }, session, runtimeModule);
  }

  /** Loads a model folder (model.json, weights.bin, metadata.json) and opens it on onnxruntime. */
  static async fromModelDir(dir: string): Promise<OnnxClassifier> {
    const labels = await readLabels(dir);
    const model = await loadLayersModelDir(dir);
    try {
      return await OnnxClassifier.fromModel(model, labels, dir);
    } finally {
      model.dispose();
    }
  }

  /** Returns count x labels.length class probabilities for count preprocessed images (NHWC float32). */
  async predict(inputs: Float32Array, count: number): Promise<Float32Array> {
    const session = this.session;
    if (session === undefined) throw new Error('OnnxClassifier.predict: the classifier was disposed');
    if (count < 1) throw new EdgeTrainerError('invalid_argument', `OnnxClassifier.predict: expected at least one image, got ${count}.`);
    checkImageBatch('OnnxClassifier.predict', this.input, inputs, count);
    const { size, channels } = this.input;
    const input = new this.runtimeModule.Tensor('float32', inputs, [count, size, size, channels]);
    const outputs = await session.run({ [CLASSIFIER_INPUT]: input });
    const probabilities = Float32Array.from(outputs[CLASSIFIER_OUTPUT].data as Float32Array);
    outputs[CLASSIFIER_OUTPUT].dispose();
    return probabilities;
  }

  dispose(): void {
    void this.session?.release();
    this.session = undefined;
  }
}
