// TFLite classifier files (ours and Teachable Machine's) for predict, eval and info. Labels come
// from labels.txt beside the file. Inputs go through the shared preprocessing and, for quantized
// files, the file's own input quantization.

import { open as openFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Prediction } from '../../../models/classifier/predict.js';
import { EdgeTrainerError, isEdgeTrainerError } from '../../../models/errors.js';
import { describeTflite, type TensorSummary } from '../../../models/exporters/tflite/describe.js';
import { LABELS_FILE, readLabelsTxt } from '../../../models/exporters/tflite/labels.js';
import { argmax, TflitePredictor } from '../../../models/exporters/tflite/predict.js';
import { loadImageInput } from '../../../models/images/preprocess.js';
import { TFLITE_FILE_IDENTIFIER } from '../../../models/tflite/reader.js';
import type { ModelFormat } from './types.js';

/** Checks for the TFLite file identifier at bytes 4..7, which every TFLite flatbuffer carries. */
async function hasTfliteIdentifier(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await openFile(file, 'r');
    const header = Buffer.alloc(8);
    const { bytesRead } = await handle.read(header, 0, 8, 0);
    return bytesRead === 8 && header.toString('latin1', 4, 8) === TFLITE_FILE_IDENTIFIER;
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

/** One-line summary for `info`: dtype, shape and, for quantized tensors, scale and zero point. */
function tensorLine(tensor: TensorSummary): string {
  const quantization = tensor.scale === null ? '' : ` scale=${tensor.scale} zeroPoint=${tensor.zeroPoint}`;
  return `${tensor.dtype} [${tensor.shape.join(', ')}]${quantization}`;
}

export const tfliteFormat: ModelFormat = {
  id: 'tflite',

  matches: async (modelPath) => path.extname(modelPath).toLowerCase() === '.tflite' || (await hasTfliteIdentifier(modelPath)),

  async open(modelPath) {
    const bytes = new Uint8Array(await readFile(modelPath));
    const description = describeTflite(bytes, modelPath);
    const labelsPath = path.join(path.dirname(modelPath), LABELS_FILE);
    const labels = await readLabelsTxt(labelsPath);
    const predictor = await TflitePredictor.fromBytes(bytes, modelPath);
    const [, size, , channels] = predictor.input.shape;
    const classCount = predictor.output.shape[predictor.output.shape.length - 1];
    if (predictor.input.shape.length !== 4 || (channels !== 1 && channels !== 3) || labels.length !== classCount) {
      predictor.dispose();
      throw new EdgeTrainerError('unsupported', `${modelPath} is not an image classifier for ${labelsPath}: input [${predictor.input.shape}], ${classCount} outputs, ${labels.length} labels.`, {
        path: modelPath,
        hint: 'Give a .tflite classifier with a [1, size, size, 1 or 3] input and the labels.txt exported with it.',
      });
    }

    return {
      format: 'tflite',
      labels,
      input: { size, channels },
      async predictFiles(files, options = {}) {
        const predictions: Prediction[] = [];
        for (const [index, file] of files.entries()) {
          let input: Float32Array;
          try {
            input = await loadImageInput(file, { size, channels });
          } catch (error) {
            if (!options.onInvalidFile || !isEdgeTrainerError(error)) throw error;
            options.onInvalidFile(file, error);
            continue;
          }
          const probabilities = Array.from(predictor.predict(input));
          const labelIndex = argmax(probabilities);
          predictions.push({ file, labelIndex, label: labels[labelIndex], probabilities });
          options.onProgress?.(index + 1, files.length);
        }
        return predictions;
      },
      describe: () => ({
        inputTensor: tensorLine(description.inputs[0]),
        outputTensor: tensorLine(description.outputs[0]),
        sizeBytes: description.sizeBytes,
        schemaVersion: description.schemaVersion,
        description: description.description,
        inputScaling: predictor.inputScaling,
        inputs: description.inputs,
        outputs: description.outputs,
        opCounts: description.opCounts,
        ops: description.ops,
      }),
      dispose: () => predictor.dispose(),
    };
  },
};
