// Quantization parameters as TFLite defines them in schema.fbs: real = scale * (q - zeroPoint).
// Activations are asymmetric per tensor; weights symmetric (zeroPoint 0) per output channel;
// biases int32 with scale = input scale * weight scale, following the TFLite int8 quantization spec.

import type { QuantParams } from './graph.js';
import type { TensorRange } from './calibrate.js';

export const INT8_MIN = -128;
export const INT8_MAX = 127;
/** Symmetric weights use [-127, 127] so that negating a weight never overflows. */
export const WEIGHT_MAX = 127;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
/** Smallest scale written, so a constant-zero tensor still gets a valid (non-zero) scale. */
const MIN_SCALE = 1e-9;

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/**
 * Asymmetric int8 parameters covering `range`, widened to include 0 so that zero (padding, ReLU
 * floor) is exactly representable.
 */
export function activationParams(range: TensorRange): QuantParams {
  const min = Math.min(range.min, 0);
  const max = Math.max(range.max, 0);
  const scale = Math.max((max - min) / (INT8_MAX - INT8_MIN), MIN_SCALE);
  const zeroPoint = clamp(Math.round(INT8_MIN - min / scale), INT8_MIN, INT8_MAX);
  return { scale: [scale], zeroPoint: [zeroPoint], quantizedDimension: 0 };
}

export function quantizeValue(real: number, params: QuantParams, low = INT8_MIN, high = INT8_MAX): number {
  return clamp(Math.round(real / params.scale[0] + params.zeroPoint[0]), low, high);
}

export interface QuantizedWeights {
  values: Int8Array;
  params: QuantParams;
}

/**
 * Symmetric int8 weights, one scale per slice along `axis` (max |w| / 127), or a single scale when
 * `perChannel` is false. Returns the values in the original layout.
 */
export function quantizeWeights(weights: Float32Array, shape: number[], axis: number, perChannel: boolean): QuantizedWeights {
  const channels = perChannel ? shape[axis] : 1;
  const innerSize = shape.slice(axis + 1).reduce((product, dim) => product * dim, 1);
  const channelOf = (i: number): number => (perChannel ? Math.floor(i / innerSize) % channels : 0);
  const maxAbs = new Float64Array(channels);
  for (let i = 0; i < weights.length; i++) maxAbs[channelOf(i)] = Math.max(maxAbs[channelOf(i)], Math.abs(weights[i]));
  const scale = Array.from(maxAbs, (value) => Math.max(value / WEIGHT_MAX, MIN_SCALE));
  const values = new Int8Array(weights.length);
  for (let i = 0; i < weights.length; i++) values[i] = clamp(Math.round(weights[i] / scale[channelOf(i)]), -WEIGHT_MAX, WEIGHT_MAX);
  return { values, params: { scale, zeroPoint: scale.map(() => 0), quantizedDimension: perChannel ? axis : 0 } };
}

/** int32 bias for an op whose input has `inputScale` and whose weights have `weightScales`. */
export function quantizeBias(bias: Float32Array, inputScale: number, weightScales: number[]): { values: Int32Array; params: QuantParams } {
  const scale = Array.from(bias, (_, c) => inputScale * weightScales[weightScales.length === 1 ? 0 : c]);
  const values = Int32Array.from(bias, (value, c) => clamp(Math.round(value / scale[c]), INT32_MIN, INT32_MAX));
  const params: QuantParams = weightScales.length === 1
    ? { scale: [scale[0]], zeroPoint: [0], quantizedDimension: 0 }
    : { scale, zeroPoint: scale.map(() => 0), quantizedDimension: 0 };
  return { values, params };
}
