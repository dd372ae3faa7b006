// Summary of a .tflite file for `info FILE.tflite --json` and the export report: inputs and outputs
// with dtype, shape and quantization, the real value range a quantized input covers, and the ops.

import { readTflite, type TfliteModel, type TfliteTensor } from '../../tflite/reader.js';

export interface TensorSummary {
  name: string;
  /** TFLite type in lower case: float32, int8, uint8, ... */
  dtype: string;
  shape: number[];
  /** Per-tensor scale and zero point (the first entry for per-channel tensors), or null for float tensors. */
  scale: number | null;
  zeroPoint: number | null;
  /** Real values the integer range covers, scale * (q - zeroPoint) at the type's ends; null for float tensors. */
  realRange: [number, number] | null;
}

export interface OpSummary {
  index: number;
  opcode: string;
  version: number;
  inputs: string[];
  outputs: string[];
}

export interface TfliteDescription {
  sizeBytes: number;
  schemaVersion: number;
  description: string;
  inputs: TensorSummary[];
  outputs: TensorSummary[];
  opCounts: Record<string, number>;
  ops: OpSummary[];
  metadata: string[];
}

const INTEGER_LIMITS: Readonly<Record<string, [number, number]>> = Object.freeze({
  INT8: [-128, 127],
  UINT8: [0, 255],
  INT16: [-32768, 32767],
});

export function summarizeTensor(tensor: TfliteTensor): TensorSummary {
  const q = tensor.quantization;
  const limits = INTEGER_LIMITS[tensor.type];
  const scale = q ? q.scale[0] : null;
  const zeroPoint = q ? (q.zeroPoint[0] ?? 0) : null;
  const realRange: [number, number] | null = scale !== null && zeroPoint !== null && limits ? [scale * (limits[0] - zeroPoint), scale * (limits[1] - zeroPoint)] : null;
  return { name: tensor.name, dtype: tensor.type.toLowerCase(), shape: tensor.shape, scale, zeroPoint, realRange };
}

export function describeModel(model: TfliteModel): TfliteDescription {
  const graph = model.subgraphs[0];
  const opCounts: Record<string, number> = {};
  for (const op of graph.operators) opCounts[op.opcode] = (opCounts[op.opcode] ?? 0) + 1;
  const nameOf = (index: number): string => (index < 0 ? '' : graph.tensors[index].name);
  return {
    sizeBytes: model.byteLength,
    schemaVersion: model.version,
    description: model.description,
    inputs: graph.inputs.map((index) => summarizeTensor(graph.tensors[index])),
    outputs: graph.outputs.map((index) => summarizeTensor(graph.tensors[index])),
    opCounts,
    ops: graph.operators.map((op) => ({ index: op.index, opcode: op.customCode ?? op.opcode, version: op.version, inputs: op.inputs.map(nameOf), outputs: op.outputs.map(nameOf) })),
    metadata: model.metadata.map((entry) => entry.name),
  };
}

/** Reads `bytes` and summarizes the model; `source` names the file in errors. */
export function describeTflite(bytes: Uint8Array, source = '<buffer>'): TfliteDescription {
  return describeModel(readTflite(bytes, source));
}
