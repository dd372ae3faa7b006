// ONNX export of tfjs layers models: the pretrained bases, Teachable Machine style classifiers and
// any model built from the layers in layers.ts. Graphs are float32, or int8 QDQ: QuantizeLinear and
// DequantizeLinear pairs around float ops, which onnxruntime fuses into integer kernels.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { EdgeTrainerError } from '../../errors.js';
import { createSession, loadOnnxRuntime } from '../../inference/onnxruntime.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { emitOnnx } from './emit.js';
import type { Graph } from './ir.js';
import { buildGraph } from './keras-graph.js';
import { fuseConvActivations, simplifyGraph } from './passes.js';
import type { ValueRange } from './quantization.js';

/** Version of the exporter's output; cached graphs made by another version are rebuilt. */
export const ONNX_EXPORTER_VERSION = '1';

export interface OnnxExportOptions {
  /** Graph input names in model input order; default "input". */
  inputNames?: string[];
  /** Graph output names in model output order; default "output". */
  outputNames?: string[];
  /** Stored in the model's metadata_props, e.g. labels as JSON. */
  metadata?: Record<string, string>;
  docString?: string;
}

/**
 * Converts a tfjs layers model to an encoded ONNX model (opset 13, float32). The graph input keeps
 * the tfjs layout [batch, height, width, channels] with a dynamic batch size.
 * Throws EdgeTrainerError 'unsupported' naming the first layer it cannot convert.
 */
export function exportOnnx(model: tf.LayersModel, options: OnnxExportOptions = {}): Uint8Array {
  const graph = simplifyGraph(buildGraph(model, { inputNames: options.inputNames, outputNames: options.outputNames }));
  return emitOnnx(graph, {
    graphName: model.name,
    docString: options.docString,
    metadata: options.metadata,
    producerVersion: ONNX_EXPORTER_VERSION,
  }).bytes;
}

export interface CalibrationData {
  /** Representative preprocessed inputs, [count, height, width, channels] float32. */
  inputs: Float32Array;
  count: number;
}

/** Images per calibration run; every intermediate value of a batch is held in memory at once. */
const CALIBRATION_BATCH = 8;

/** Runs the float graph on the calibration inputs and returns the min and max of every intermediate value. */
async function calibrate(graph: Graph, calibration: CalibrationData, graphName: string): Promise<Map<string, ValueRange>> {
  const input = graph.inputs[0];
  const imageShape = input.shape.slice(1).map((size) => size ?? 0);
  const imageLength = imageShape.reduce((product, size) => product * size, 1);
  if (graph.inputs.length !== 1 || imageLength === 0 || calibration.count < 1 || calibration.inputs.length !== calibration.count * imageLength) {
    throw new EdgeTrainerError('invalid_argument', `int8 ONNX export of ${graphName}: expected calibration inputs of ${calibration.count} x ${imageShape.join(' x ')} values, got ${calibration.inputs.length}.`, {
      hint: 'Pass at least one preprocessed image per class from the training samples.',
    });
  }

  const { bytes, valueTensors } = emitOnnx(graph, { graphName, producerVersion: ONNX_EXPORTER_VERSION, exposeValues: true });
  const runtime = await loadOnnxRuntime();
  const session = await createSession(bytes, `${graphName} (calibration graph)`);
  const tensorRanges = new Map<string, ValueRange>();
  try {
    for (let start = 0; start < calibration.count; start += CALIBRATION_BATCH) {
      const batch = Math.min(CALIBRATION_BATCH, calibration.count - start);
      const feed = new runtime.Tensor('float32', calibration.inputs.subarray(start * imageLength, (start + batch) * imageLength), [batch, ...imageShape]);
      const outputs = await session.run({ [input.name]: feed });
      for (const [name, tensor] of Object.entries(outputs)) {
        const range = tensorRanges.get(name) ?? { min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };
        for (const value of tensor.data as Float32Array) {
          if (value < range.min) range.min = value;
          if (value > range.max) range.max = value;
        }
        tensorRanges.set(name, range);
        tensor.dispose();
      }
    }
  } finally {
    await session.release();
  }

  const ranges = new Map<string, ValueRange>();
  for (const [value, tensor] of valueTensors) {
    const range = tensorRanges.get(tensor);
    if (range !== undefined) ranges.set(value, range);
  }
  return ranges;
}

/**
 * Converts a tfjs layers model to an int8 QDQ ONNX model: uint8 activations with min-max ranges
 * calibrated on `calibration`, int8 per-channel conv weights, int32 biases (quantization.ts).
 * Dense layers and softmax stay float32. Inputs and outputs stay float32, as in exportOnnx.
 * NOTE: experimental and not offered by the CLI. On MobileNetV2 0.35 the int8 graph drifts from
 * float: embeddings had cosine similarity 0.92 to 0.94 and the Teachable Machine image-1 classifier
 * agreed on 8 of 10 held-out gesture photos (10 calibration photos); 99.99th-percentile ranges did
 * not help. Single convolutions stay within 2% relative error.
 * TODO: better ranges (per-layer MSE search or bias correction) before the CLI offers int8 ONNX.
 */
export async function exportOnnxInt8(model: tf.LayersModel, calibration: CalibrationData, options: OnnxExportOptions = {}): Promise<Uint8Array> {
  const graph = simplifyGraph(buildGraph(model, { inputNames: options.inputNames, outputNames: options.outputNames }));
  const ranges = await calibrate(graph, calibration, model.name);
  return emitOnnx(fuseConvActivations(graph), {
    graphName: model.name,
    docString: options.docString,
    metadata: options.metadata,
    producerVersion: ONNX_EXPORTER_VERSION,
    ranges,
  }).bytes;
}

/** Exports `model` to an .onnx file, written atomically; the folder is created when missing. */
export async function writeOnnxFile(model: tf.LayersModel, file: string, options: OnnxExportOptions = {}): Promise<void> {
  const bytes = exportOnnx(model, options);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, bytes);
}
