// The onnx format of `edge-trainer export`: converts the classifier to a float32 ONNX model
// (models/exporters/onnx), checks it in onnxruntime against TensorFlow.js on a test input, and
// only then writes FILE.onnx and labels.txt beside it.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadClassifier } from '../../../models/classifier/load.js';
import { EdgeTrainerError } from '../../../models/errors.js';
import { ONNX_OPSET } from '../../../models/exporters/onnx/emit.js';
import { exportOnnx } from '../../../models/exporters/onnx/export.js';
import { LABELS_FILE } from '../../../models/exporters/tflite/labels.js';
import { CLASSIFIER_INPUT, CLASSIFIER_OUTPUT } from '../../../models/inference/onnx-classifier.js';
import { createSession, loadOnnxRuntime } from '../../../models/inference/onnxruntime.js';
import { writeFileAtomic } from '../../../models/io/atomic.js';
import type { CommandContext } from '../context.js';
import type { ExportFormat, ExportOptions } from './types.js';

/** Largest difference from TensorFlow.js that the check accepts, in class probability. */
const MAX_CHECK_DIFFERENCE = 1e-4;

/** Deterministic test image in [-1, 1]: sin((x + 2y) / size + channel), so every pixel and channel differs. */
function testImage(size: number, channels: number): Float32Array {
  const image = new Float32Array(size * size * channels);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let channel = 0; channel < channels; channel++) image[(y * size + x) * channels + channel] = Math.sin((x + 2 * y) / size + channel);
    }
  }
  return image;
}

/** Returns the largest difference between the ONNX and the tfjs probabilities on the test image. */
async function checkAgainstTfjs(bytes: Uint8Array, model: tf.LayersModel, size: number, channels: number, source: string): Promise<number> {
  const image = testImage(size, channels);
  const shape = [1, size, size, channels];
  const expected = tf.tidy(() => (model.predict(tf.tensor(image, shape)) as tf.Tensor).dataSync() as Float32Array);
  const runtime = await loadOnnxRuntime();
  const session = await createSession(bytes, source);
  try {
    const outputs = await session.run({ [CLASSIFIER_INPUT]: new runtime.Tensor('float32', image, shape) });
    const actual = outputs[CLASSIFIER_OUTPUT].data as Float32Array;
    let max = 0;
    for (let index = 0; index < expected.length; index++) max = Math.max(max, Math.abs(actual[index] - expected[index]));
    return max;
  } finally {
    await session.release();
  }
}

async function run(context: CommandContext, modelDir: string, options: ExportOptions) {
  const t = context.t;
  const classifier = await loadClassifier(modelDir);
  const { size, channels } = classifier.input;
  let bytes: Uint8Array;
  let difference: number;
  try {
    bytes = exportOnnx(classifier.model, {
      inputNames: [CLASSIFIER_INPUT],
      outputNames: [CLASSIFIER_OUTPUT],
      metadata: { labels: JSON.stringify(classifier.labels), imageSize: String(size), channels: String(channels) },
      docString: `Edge Trainer classifier from ${path.basename(classifier.dir)}: input [batch, ${size}, ${size}, ${channels}] in [-1, 1], output class probabilities.`,
    });
    difference = await checkAgainstTfjs(bytes, classifier.model, size, channels, options.out);
  } finally {
    classifier.model.dispose();
  }
  if (!(difference <= MAX_CHECK_DIFFERENCE)) {
    throw new EdgeTrainerError('unsupported', `The ONNX export of ${classifier.dir} differs from TensorFlow.js by ${difference} on a test image; nothing was written.`, {
      hint: 'Export to tflite or tfjs instead, and report this model to the Edge Trainer developers.',
    });
  }

  context.print(t('export_onnx_size', { kilobytes: (bytes.length / 1024).toFixed(1), bytes: bytes.length, opset: ONNX_OPSET }));
  context.print(t('export_onnx_check', { difference: difference.toExponential(1) }));
  await mkdir(path.dirname(path.resolve(options.out)), { recursive: true });
  const labelsPath = path.join(path.dirname(options.out), LABELS_FILE);
  await writeFileAtomic(options.out, bytes);
  await writeFileAtomic(labelsPath, classifier.labels.map((label, index) => `${index} ${label}\n`).join(''));
  context.print(t('export_written', { files: [options.out, labelsPath].join(', ') }));
  return { out: options.out, labelsPath, bytes: bytes.length, opset: ONNX_OPSET, labels: classifier.labels, maxDifferenceFromTfjs: difference };
}

export const onnxExportFormat: ExportFormat = {
  id: 'onnx',
  // NOTE: int8 is left out until exportOnnxInt8 is accurate enough on MobileNetV2 (docs/formats.md).
  variants: ['float32'],
  defaultVariant: 'float32',
  run,
};
