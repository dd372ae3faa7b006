// MEAN int8: TFLite's reference_ops::QuantizedMeanOrSum, which TFLite Micro runs for every int8
// MEAN. The sum over the reduced axes is rescaled once; Prepare folds 1/count into the multiplier.

import { clamp, multiplyByQuantizedMultiplier, quantizeMultiplier } from '../quantization/fixed-point.js';
import { describeAccumulatorBound, preparedOp, type PreparedOp, type ReferenceKernel } from './kernel.js';
import {
  constantIntegers,
  expectType,
  extendShape,
  scalarQuantization,
  tensorAt,
  unsupported,
  type PrepareContext,
  type TensorArray,
} from './tensors.js';

export interface MeanParams {
  /** Input shape extended to 4-D. */
  inputShape: number[];
  /** 1 for each reduced axis of the 4-D input shape. */
  reduced: number[];
  /** Number of values averaged into each output. */
  count: number;
  /** inputZeroPoint * count, subtracted from each sum. */
  zeroPointSum: number;
  outputZeroPoint: number;
  outputMultiplier: number;
  outputShift: number;
}

function prepare(context: PrepareContext): PreparedOp<MeanParams> {
  const input = tensorAt(context, 0, 'input');
  const axisTensor = tensorAt(context, 1, 'input');
  const output = tensorAt(context, 0, 'output');
  expectType(context, input, ['INT8']);
  expectType(context, output, ['INT8']);
  if (input.shape.length > 4) throw unsupported(context, `input has ${input.shape.length} dimensions, at most 4 are supported`);
  const rank = input.shape.length;
  const inputShape = extendShape(input.shape, 4);
  const reduced = [0, 0, 0, 0];
  for (const axis of constantIntegers(context, axisTensor)) {
    const resolved = axis < 0 ? axis + rank : axis;
    if (resolved < 0 || resolved >= rank) throw unsupported(context, `axis ${axis} is outside a ${rank}-D input`);
    reduced[resolved + 4 - rank] = 1;
  }

  const count = inputShape.reduce((product, dim, i) => (reduced[i] ? product * dim : product), 1);
  const inputQuantization = scalarQuantization(context, input);
  const outputQuantization = scalarQuantization(context, output);
  const base = quantizeMultiplier(inputQuantization.scale / outputQuantization.scale);
  // Folds 1/count into the multiplier: shift = floor(log2(count)), capped as TFLite caps it.
  let shift = Math.floor(Math.log2(count));
  shift = Math.min(shift, 32, 31 + base.shift);
  const outputMultiplier = Number((BigInt(base.multiplier) << BigInt(shift)) / BigInt(count));
  const params: MeanParams = {
    inputShape,
    reduced,
    count,
    zeroPointSum: inputQuantization.zeroPoint * count,
    outputZeroPoint: outputQuantization.zeroPoint,
    outputMultiplier,
    outputShift: base.shift - shift,
  };
  return preparedOp(context, params, {
    inputs: [input.index],
    macs: inputShape.reduce((product, dim) => product * dim, 1),
    accumulatorBound: describeAccumulatorBound(count * 128 + Math.abs(params.zeroPointSum)),
  });
}

function evaluate(p: MeanParams, [input]: TensorArray[], [output]: TensorArray[]): void {
  const [d0, d1, d2, d3] = p.inputShape;
  const outShape = p.inputShape.map((dim, i) => (p.reduced[i] ? 1 : dim));
  let outputIndex = 0;
  for (let o0 = 0; o0 < outShape[0]; o0++) {
    for (let o1 = 0; o1 < outShape[1]; o1++) {
      for (let o2 = 0; o2 < outShape[2]; o2++) {
        for (let o3 = 0; o3 < outShape[3]; o3++) {
          let sum = 0;
          for (let i0 = p.reduced[0] ? 0 : o0; i0 < (p.reduced[0] ? d0 : o0 + 1); i0++) {
            for (let i1 = p.reduced[1] ? 0 : o1; i1 < (p.reduced[1] ? d1 : o1 + 1); i1++) {
              for (let i2 = p.reduced[2] ? 0 : o2; i2 < (p.reduced[2] ? d2 : o2 + 1); i2++) {
                for (let i3 = p.reduced[3] ? 0 : o3; i3 < (p.reduced[3] ? d3 : o3 + 1); i3++) {
                  sum += input[((i0 * d1 + i1) * d2 + i2) * d3 + i3];
                }
              }
            }
          }
          const value = multiplyByQuantizedMultiplier(sum - p.zeroPointSum, p.outputMultiplier, p.outputShift) + p.outputZeroPoint;
          output[outputIndex++] = clamp(value, -128, 127);
        }
      }
    }
  }
}

export const Mean: ReferenceKernel<MeanParams> = Object.freeze({ prepare, evaluate });
