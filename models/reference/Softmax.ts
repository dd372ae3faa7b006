// SOFTMAX int8 -> int8: TFLite's reference_ops::Softmax as TFLite Micro prepares it
// (softmax_common.cc): input differences rescaled to Q5.26, gemmlowp fixed-point exp, sum in
// Q12.19, reciprocal by Newton-Raphson. The output must have scale 1/256 and zero point -128.

import { clamp, multiplyByQuantizedMultiplier, quantizeMultiplier, roundingDivideByPOT, saturatingRoundingDoublingHighMul } from '../quantization/fixed-point.js';
import {
  ACCUMULATION_INTEGER_BITS,
  SCALED_DIFF_INTEGER_BITS,
  expOnNegativeValues,
  getReciprocal,
} from '../quantization/softmax-fixed-point.js';
import { preparedOp, type PreparedOp, type ReferenceKernel } from './kernel.js';
import { elementCount, expectType, scalarQuantization, tensorAt, unsupported, type PrepareContext, type TensorArray } from './tensors.js';

export interface SoftmaxParams {
  outerSize: number;
  depth: number;
  inputMultiplier: number;
  inputLeftShift: number;
  /** Differences from the row maximum below this give an output of -128. */
  diffMin: number;
}

function prepare(context: PrepareContext): PreparedOp<SoftmaxParams> {
  const input = tensorAt(context, 0, 'input');
  const output = tensorAt(context, 0, 'output');
  expectType(context, input, ['INT8']);
  expectType(context, output, ['INT8']);
  const inputQuantization = scalarQuantization(context, input);
  const outputQuantization = scalarQuantization(context, output);
  if (outputQuantization.zeroPoint !== -128 || outputQuantization.scale !== 1 / 256) {
    throw unsupported(context, `output quantization is scale ${outputQuantization.scale}, zero point ${outputQuantization.zeroPoint}; int8 SOFTMAX needs 1/256 and -128`);
  }

  const beta = Number((context.op.options as Record<string, number>).beta ?? 1);
  // PreprocessSoftmaxScaling: beta * scale in Q5.26, capped at 2^31 - 1.
  const realMultiplier = Math.min(Math.fround(beta) * inputQuantization.scale * 2 ** (31 - SCALED_DIFF_INTEGER_BITS), 2 ** 31 - 1);
  const { multiplier, shift } = quantizeMultiplier(realMultiplier);
  if (shift < 0) throw unsupported(context, `input scale ${inputQuantization.scale} is too small for the int8 SOFTMAX kernel`);
  // CalculateInputRadius: the largest difference whose rescaled value still fits Q5.26.
  const radius = Math.floor(((2 ** SCALED_DIFF_INTEGER_BITS - 1) * 2 ** (31 - SCALED_DIFF_INTEGER_BITS)) / 2 ** shift);
  const depth = input.shape[input.shape.length - 1];
  // Each exp is at most 1.0 in Q12.19, so the int32 sum of a row stays below 2^31 only up to 4095 classes.
  if (depth >= 2 ** ACCUMULATION_INTEGER_BITS) throw unsupported(context, `${depth} classes exceed the ${2 ** ACCUMULATION_INTEGER_BITS - 1} the int8 kernel can sum`);
  const params: SoftmaxParams = {
    outerSize: elementCount(input.shape) / depth,
    depth,
    inputMultiplier: multiplier,
    inputLeftShift: shift,
    diffMin: -radius,
  };
  return preparedOp(context, params, {
    inputs: [input.index],
    accumulatorBound: `sum of exps <= ${depth} * 2^19 in Q12.19 (${depth * 2 ** 19}), below 2^31`,
  });
}

function evaluate(p: SoftmaxParams, [input]: TensorArray[], [output]: TensorArray[]): void {
  for (let row = 0; row < p.outerSize; row++) {
    const base = row * p.depth;
    let maxInRow = -128;
    for (let c = 0; c < p.depth; c++) maxInRow = Math.max(maxInRow, input[base + c]);

    let sumOfExps = 0;
    for (let c = 0; c < p.depth; c++) {
      const diff = input[base + c] - maxInRow;
      if (diff >= p.diffMin) {
        const rescaled = multiplyByQuantizedMultiplier(diff, p.inputMultiplier, p.inputLeftShift);
        sumOfExps += roundingDivideByPOT(expOnNegativeValues(rescaled, SCALED_DIFF_INTEGER_BITS), ACCUMULATION_INTEGER_BITS);
      }
    }

    const { reciprocal, numBitsOverUnit } = getReciprocal(sumOfExps, ACCUMULATION_INTEGER_BITS);
    const exponent = numBitsOverUnit + 31 - 8;
    for (let c = 0; c < p.depth; c++) {
      const diff = input[base + c] - maxInRow;
      if (diff >= p.diffMin) {
        const rescaled = multiplyByQuantizedMultiplier(diff, p.inputMultiplier, p.inputLeftShift);
        const expValue = expOnNegativeValues(rescaled, SCALED_DIFF_INTEGER_BITS);
        const unsaturated = roundingDivideByPOT(saturatingRoundingDoublingHighMul(reciprocal, expValue), exponent);
        output[base + c] = clamp(unsaturated - 128, -128, 127);
      } else {
        output[base + c] = -128;
      }
    }
  }
}

export const Softmax: ReferenceKernel<SoftmaxParams> = Object.freeze({ prepare, evaluate });

