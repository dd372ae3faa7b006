// Test-only writer of small .tflite models (one or a few operators) through the schema's object
// API, so each C kernel can be checked against the real interpreter on shapes the shipped
// reference models never use.

import * as flatbuffers from 'flatbuffers';
import {
  BufferT,
  BuiltinOperator,
  BuiltinOptions,
  ModelT,
  OperatorCodeT,
  OperatorT,
  QuantizationParametersT,
  SubGraphT,
  TensorT,
  TensorType,
} from '../../../models/tflite/schema/gen/tflite_generated.js';

export interface TensorSpec {
  shape: number[];
  type: keyof typeof TensorType;
  scale?: number | number[];
  zeroPoint?: number | number[];
  quantizedDimension?: number;
  /** Constant contents; omitted for activations. */
  data?: Int8Array | Int32Array | Float32Array | Uint8Array;
}

export interface OperatorSpec {
  opcode: keyof typeof BuiltinOperator;
  inputs: number[];
  outputs: number[];
  optionsType?: keyof typeof BuiltinOptions;
  options?: OperatorT['builtinOptions'];
}

export interface ModelSpec {
  tensors: TensorSpec[];
  operators: OperatorSpec[];
  inputs: number[];
  outputs: number[];
}

export function buildTflite(spec: ModelSpec): Uint8Array {
  const buffers: BufferT[] = [new BufferT()];
  const tensors = spec.tensors.map((tensor, index) => {
    let buffer = 0;
    if (tensor.data) {
      buffers.push(new BufferT(Array.from(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength))));
      buffer = buffers.length - 1;
    }
    const scales = tensor.scale === undefined ? [] : ([] as number[]).concat(tensor.scale);
    const zeroPoints = tensor.zeroPoint === undefined ? scales.map(() => 0) : ([] as number[]).concat(tensor.zeroPoint);
    const quantization = scales.length
      ? new QuantizationParametersT([], [], scales, zeroPoints.map((value) => BigInt(value)), undefined, null, tensor.quantizedDimension ?? 0)
      : null;
    return new TensorT(tensor.shape, TensorType[tensor.type], buffer, `t${index}`, quantization);
  });
  const opcodes = [...new Set(spec.operators.map((op) => op.opcode))];
  const operators = spec.operators.map((op) => {
    const operator = new OperatorT(opcodes.indexOf(op.opcode), op.inputs, op.outputs, BuiltinOptions[op.optionsType ?? 'NONE']);
    operator.builtinOptions = op.options ?? null;
    return operator;
  });
  const codes = opcodes.map((name) => {
    const code = BuiltinOperator[name];
    return new OperatorCodeT(Math.min(code, 127), null, 1, code);
  });
  const model = new ModelT(3, codes, [new SubGraphT(tensors, spec.inputs, spec.outputs, operators, 'main')], 'edge-trainer test', buffers);
  const builder = new flatbuffers.Builder(1024);
  builder.finish(model.pack(builder), 'TFL3');
  return builder.asUint8Array().slice();
}

/** Deterministic int8 weights in [-127, 127]. */
export function weights(length: number, seed: number): Int8Array {
  const out = new Int8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out[i] = ((state >>> 16) % 255) - 127;
  }
  return out;
}
