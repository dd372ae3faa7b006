// QUANTIZE: float32 -> int8/uint8 (TFLite's reference_ops::AffineQuantize, float division and
// TfLiteRound) or int8/uint8 -> int8/uint8 (reference_ops::Requantize with a fixed-point multiplier).

import { clamp, multiplyByQuantizedMultiplier, quantizeMultiplier, roundHalfAwayFromZero } from '../quantization/fixed-point.js';
import { preparedOp, type PreparedOp, type ReferenceKernel } from './kernel.js';
import { TYPE_RANGES, elementCount, expectType, scalarQuantization, tensorAt, type PrepareContext, type TensorArray } from './tensors.js';

export interface QuantizeParams {
  mode: 'affine' | 'requantize';
  elements: number;
  outputZeroPoint: number;
  outputMin: number;
  outputMax: number;
  /** float32 output scale, for 'affine'. */
  outputScale: number;
  /** For 'requantize'. */
  inputZeroPoint: number;
  multiplier: number;
  shift: number;
}

function prepare(context: PrepareContext): PreparedOp<QuantizeParams> {
  const input = tensorAt(context, 0, 'input');
  const output = tensorAt(context, 0, 'output');
  expectType(context, input, ['FLOAT32', 'INT8', 'UINT8']);
  expectType(context, output, ['INT8', 'UINT8']);
  const outputQuantization = scalarQuantization(context, output);
  const [outputMin, outputMax] = TYPE_RANGES[output.type]!;
  const params: QuantizeParams = {
    mode: input.type === 'FLOAT32' ? 'affine' : 'requantize',
    elements: elementCount(input.shape),
    outputZeroPoint: outputQuantization.zeroPoint,
    outputMin,
    outputMax,
    outputScale: outputQuantization.scale,
    inputZeroPoint: 0,
    multiplier: 0,
    shift: 0,
  };
  if (params.mode === 'requantize') {
    const inputQuantization = scalarQuantization(context, input);
    const { multiplier, shift } = quantizeMultiplier(inputQuantization.scale / outputQuantization.scale);
    Object.assign(params, { inputZeroPoint: inputQuantization.zeroPoint, multiplier, shift });
  }
  return preparedOp(context, params, { inputs: [input.index] });
}

/** Quantizes one float32 value: round(value / scale) + zeroPoint with float32 division, clamped. */
export function affineQuantize(value: number, scale: number, zeroPoint: number, min: number, max: number): number {
  return clamp(roundHalfAwayFromZero(Math.fround(value / scale)) + zeroPoint, min, max);
}

function evaluate(p: QuantizeParams, [input]: TensorArray[], [output]: TensorArray[]): void {
  for (let i = 0; i < p.elements; i++) {
    output[i] =
      p.mode === 'affine'
        ? affineQuantize(input[i], p.outputScale, p.outputZeroPoint, p.outputMin, p.outputMax)
        : clamp(multiplyByQuantizedMultiplier(input[i] - p.inputZeroPoint, p.multiplier, p.shift) + p.outputZeroPoint, p.outputMin, p.outputMax);
  }
}

export const Quantize: ReferenceKernel<QuantizeParams> = Object.freeze({ prepare, evaluate });
