// Prepare-time helpers shared by the reference kernels: reading quantization, constant data,
// activation ranges and padding from a parsed .tflite graph. Everything here runs at export time
// in floating point, so the kernels (TS and C) see only integers.

import { EdgeTrainerError } from '../errors.js';
import { quantizeMultiplier, roundHalfAwayFromZero, type QuantizedMultiplier } from '../quantization/fixed-point.js';
import type { TfliteOperator, TfliteSubgraph, TfliteTensor, TensorTypeName } from '../tflite/reader.js';

export type TensorArray = Int8Array | Uint8Array | Int16Array | Int32Array | Float32Array;

/** Operator being prepared, with the file it came from for error messages. */
export interface PrepareContext {
  graph: TfliteSubgraph;
  op: TfliteOperator;
  source: string;
}

export const TENSOR_ARRAYS: Readonly<Partial<Record<TensorTypeName, { bytes: number; create: (length: number) => TensorArray }>>> =
  Object.freeze({
    INT8: { bytes: 1, create: (length: number) => new Int8Array(length) },
    UINT8: { bytes: 1, create: (length: number) => new Uint8Array(length) },
    INT16: { bytes: 2, create: (length: number) => new Int16Array(length) },
    INT32: { bytes: 4, create: (length: number) => new Int32Array(length) },
    FLOAT32: { bytes: 4, create: (length: number) => new Float32Array(length) },
  });

export function unsupported(context: PrepareContext, reason: string): EdgeTrainerError {
  const { op, source } = context;
  return new EdgeTrainerError('unsupported', `Cannot compile operator ${op.index} (${op.opcode}) of ${source}: ${reason}.`, {
    path: source,
    hint: 'Export an int8 model with the operators listed in docs/formats.md (C export), or use the .tflite file with TensorFlow Lite Micro.',
  });
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((count, dim) => count * dim, 1);
}

export function tensorBytes(tensor: TfliteTensor): number {
  const info = TENSOR_ARRAYS[tensor.type];
  if (!info) throw new RangeError(`tensorBytes: type ${tensor.type} has no array mapping`);
  return elementCount(tensor.shape) * info.bytes;
}

/** Pads a shape with leading 1s to `rank` dimensions. */
export function extendShape(shape: readonly number[], rank: number): number[] {
  if (shape.length > rank) throw new RangeError(`extendShape: shape [${shape}] has more than ${rank} dimensions`);
  return [...Array<number>(rank - shape.length).fill(1), ...shape];
}

export function tensorAt(context: PrepareContext, position: number, role: 'input' | 'output'): TfliteTensor {
  const indices = role === 'input' ? context.op.inputs : context.op.outputs;
  const index = indices[position];
  if (index === undefined || index < 0) throw unsupported(context, `${role} ${position} is missing`);
  return context.graph.tensors[index];
}

export function optionalInput(context: PrepareContext, position: number): TfliteTensor | null {
  const index = context.op.inputs[position];
  return index === undefined || index < 0 ? null : context.graph.tensors[index];
}

export function expectType(context: PrepareContext, tensor: TfliteTensor, types: readonly TensorTypeName[]): void {
  if (!types.includes(tensor.type)) {
    throw unsupported(context, `tensor "${tensor.name}" has type ${tensor.type}, expected ${types.join(' or ')}`);
  }
}

/** Per-tensor scale and zero point; tensors without quantization are rejected. */
export function scalarQuantization(context: PrepareContext, tensor: TfliteTensor): { scale: number; zeroPoint: number } {
  const q = tensor.quantization;
  if (!q || q.scale.length === 0) throw unsupported(context, `tensor "${tensor.name}" is not quantized`);
  if (q.scale.length !== 1) throw unsupported(context, `tensor "${tensor.name}" is quantized per channel where one scale is expected`);
  return { scale: q.scale[0], zeroPoint: q.zeroPoint[0] ?? 0 };
}

/** Constant data of a tensor as a typed array of its type; the bytes are copied so they are aligned. */
export function constantData(context: PrepareContext, tensor: TfliteTensor): TensorArray {
  if (!tensor.data) throw unsupported(context, `tensor "${tensor.name}" must be a constant`);
  const info = TENSOR_ARRAYS[tensor.type];
  if (!info) throw unsupported(context, `constant "${tensor.name}" has type ${tensor.type}`);
  const expected = tensorBytes(tensor);
  if (tensor.data.length !== expected) {
    throw unsupported(context, `constant "${tensor.name}" contains ${tensor.data.length} bytes, but its shape [${tensor.shape}] needs ${expected}`);
  }
  const array = info.create(elementCount(tensor.shape));
  new Uint8Array(array.buffer).set(tensor.data);
  return array;
}

/** Constant INT32 or INT64 values (shapes, axes, paddings) as numbers. */
export function constantIntegers(context: PrepareContext, tensor: TfliteTensor): number[] {
  if (!tensor.data) throw unsupported(context, `tensor "${tensor.name}" must be a constant`);
  const view = new DataView(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  const count = elementCount(tensor.shape);
  if (tensor.type === 'INT32') return Array.from({ length: count }, (_, i) => view.getInt32(i * 4, true));
  if (tensor.type === 'INT64') return Array.from({ length: count }, (_, i) => Number(view.getBigInt64(i * 8, true)));
  throw unsupported(context, `constant "${tensor.name}" has type ${tensor.type}, expected INT32 or INT64`);
}

export const TYPE_RANGES: Readonly<Partial<Record<TensorTypeName, readonly [number, number]>>> = Object.freeze({
  INT8: [-128, 127],
  UINT8: [0, 255],
  INT16: [-32768, 32767],
});

/** Fused activation codes of the TFLite schema (ActivationFunctionType). */
const FUSED_ACTIVATIONS: Readonly<Record<number, string>> = Object.freeze({
  0: 'NONE', 1: 'RELU', 2: 'RELU_N1_TO_1', 3: 'RELU6', 4: 'TANH', 5: 'SIGN_BIT',
});

/**
 * Computes TFLite's CalculateActivationRangeQuantized: the clamp bounds of a fused RELU, RELU6 or
 * RELU_N1_TO_1 in output units, quantizing 0, 6, -1 and 1 with float32 division and TfLiteRound.
 */
export function activationRange(context: PrepareContext, fused: unknown, output: TfliteTensor): { min: number; max: number } {
  const range = TYPE_RANGES[output.type];
  if (!range) throw unsupported(context, `output type ${output.type} is not a quantized type`);
  const { scale, zeroPoint } = scalarQuantization(context, output);
  const quantize = (real: number) => zeroPoint + roundHalfAwayFromZero(Math.fround(real / scale));
  const name = FUSED_ACTIVATIONS[Number(fused ?? 0)];
  const [qmin, qmax] = range;
  switch (name) {
    case 'NONE':
      return { min: qmin, max: qmax };
    case 'RELU':
      return { min: Math.max(qmin, quantize(0)), max: qmax };
    case 'RELU6':
      return { min: Math.max(qmin, quantize(0)), max: Math.min(qmax, quantize(6)) };
    case 'RELU_N1_TO_1':
      return { min: Math.max(qmin, quantize(-1)), max: Math.min(qmax, quantize(1)) };
    default:
      throw unsupported(context, `fused activation ${name ?? fused} is not supported`);
  }
}

/** TFLite Padding enum: SAME = 0, VALID = 1. */
export function computeOutputSize(padding: number, inputSize: number, filterSize: number, stride: number, dilation: number): number {
  const effectiveFilter = (filterSize - 1) * dilation + 1;
  if (padding === 0) return Math.floor((inputSize + stride - 1) / stride);
  return Math.floor((inputSize + stride - effectiveFilter) / stride);
}

/** Leading padding of TFLite's ComputePaddingHeightWidth; the extra odd pixel goes at the end. */
export function computePadding(stride: number, dilation: number, inputSize: number, filterSize: number, outputSize: number): number {
  const effectiveFilter = (filterSize - 1) * dilation + 1;
  const total = Math.max(0, (outputSize - 1) * stride + effectiveFilter - inputSize);
  return Math.floor(total / 2);
}

/** Per-channel output multipliers for input_scale * filter_scale[c] / output_scale, computed in double. */
export function perChannelMultipliers(inputScale: number, filterScales: readonly number[], outputScale: number, channels: number): {
  multiplier: Int32Array;
  shift: Int32Array;
} {
  const multiplier = new Int32Array(channels);
  const shift = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    const filterScale = filterScales.length > 1 ? filterScales[c] : filterScales[0];
    const quantized: QuantizedMultiplier = quantizeMultiplier((inputScale * filterScale) / outputScale);
    multiplier[c] = quantized.multiplier;
    shift[c] = quantized.shift;
  }
  return { multiplier, shift };
}

/** Max |value| of an integer array, 0 for null. */
export function maxAbs(values: ArrayLike<number> | null): number {
  let max = 0;
  if (values) for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  return max;
}
