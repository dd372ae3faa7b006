// ONNX export of tfjs layers models: the pretrained bases, Teachable Machine style classifiers and
// any model built from the layers in layers.ts. float32 only.
// TODO: int8 export with QuantizeLinear/DequantizeLinear pairs and per-channel weight scales.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '../../io/atomic.js';
import { emitOnnx } from './emit.js';
import { buildGraph } from './keras-graph.js';
import { simplifyGraph } from './passes.js';

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
  });
}

/** Exports `model` to an .onnx file, written atomically; the folder is created when missing. */
export async function writeOnnxFile(model: tf.LayersModel, file: string, options: OnnxExportOptions = {}): Promise<void> {
  const bytes = exportOnnx(model, options);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, bytes);
}
