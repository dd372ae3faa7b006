// ADD int8: TFLite's reference_integer_ops::Add with broadcasting over up to 4 dimensions. Both
// inputs are rescaled to a common scale with 20 bits of headroom, summed, then rescaled.

import { clamp, multiplyByQuantizedMultiplier, quantizeMultiplier } from '../quantization/fixed-point.js';
import { describeAccumulatorBound, preparedOp, type PreparedOp, type ReferenceKernel } from './kernel.js';
import {
  activationRange,
  expectType,
  extendShape,
  scalarQuantization,
  tensorAt,
  unsupported,
  type PrepareContext,
  type TensorArray,
} from './tensors.js';

/** Headroom of the int8 ADD kernel (left_shift in TFLite; 15 for int16). */
export const ADD_LEFT_SHIFT = 20;

export interface AddParams {
  input1Offset: number;
  input2Offset: number;
  outputOffset: number;
  leftShift: number;
  input1Multiplier: number;
  input1Shift: number;
  input2Multiplier: number;
  input2Shift: number;
  outputMultiplier: number;
  outputShift: number;
  activationMin: number;
  activationMax: number;
  /** Output shape extended to 4-D. */
  outputShape: number[];
  /** Element strides of each input over the 4-D output, 0 along broadcast dimensions. */
  input1Strides: number[];
  input2Strides: number[];
}

function broadcastStrides(context: PrepareContext, shape: number[], outputShape: number[]): number[] {
  const strides = [0, 0, 0, 0];
  let stride = 1;
  for (let i = 3; i >= 0; i--) {
    if (shape[i] !== outputShape[i] && shape[i] !== 1) throw unsupported(context, `input shape [${shape}] does not broadcast to [${outputShape}]`);
    strides[i] = shape[i] === 1 ? 0 : stride;
    stride *= shape[i];
  }
  return strides;
}

function prepare(context: PrepareContext): PreparedOp<AddParams> {
  const input1 = tensorAt(context, 0, 'input');
  const input2 = tensorAt(context, 1, 'input');
  const output = tensorAt(context, 0, 'output');
  for (const tensor of [input1, input2, output]) expectType(context, tensor, ['INT8']);
  if (input1.data || input2.data) throw unsupported(context, 'a constant input to ADD is not supported');
  if (output.shape.length > 4) throw unsupported(context, 'ADD supports at most 4 dimensions');

  const q1 = scalarQuantization(context, input1);
  const q2 = scalarQuantization(context, input2);
  const qOut = scalarQuantization(context, output);
  // Same double arithmetic as TFLite's add_common.cc.
  const twiceMaxInputScale = 2 * Math.max(q1.scale, q2.scale);
  const m1 = quantizeMultiplier(q1.scale / twiceMaxInputScale);
  const m2 = quantizeMultiplier(q2.scale / twiceMaxInputScale);
  const mOut = quantizeMultiplier(twiceMaxInputScale / (2 ** ADD_LEFT_SHIFT * qOut.scale));

  const options = context.op.options as Record<string, number>;
  const activation = activationRange(context, options.fusedActivationFunction, output);
  const outputShape = extendShape(output.shape, 4);
  const params: AddParams = {
    input1Offset: -q1.zeroPoint,
    input2Offset: -q2.zeroPoint,
    outputOffset: qOut.zeroPoint,
    leftShift: ADD_LEFT_SHIFT,
    input1Multiplier: m1.multiplier,
    input1Shift: m1.shift,
    input2Multiplier: m2.multiplier,
    input2Shift: m2.shift,
    outputMultiplier: mOut.multiplier,
    outputShift: mOut.shift,
    activationMin: activation.min,
    activationMax: activation.max,
    outputShape,
    input1Strides: broadcastStrides(context, extendShape(input1.shape, 4), outputShape),
    input2Strides: broadcastStrides(context, extendShape(input2.shape, 4), outputShape),
  };
  return preparedOp(context, params, {
    inputs: [input1.index, input2.index],
    accumulatorBound: describeAccumulatorBound(2 * 255 * 2 ** ADD_LEFT_SHIFT),
  });
}

function evaluate(p: AddParams, [input1, input2]: TensorArray[], [output]: TensorArray[]): void {
  const [d0, d1, d2, d3] = p.outputShape;
  let outputIndex = 0;
  for (let i0 = 0; i0 < d0; i0++) {
    for (let i1 = 0; i1 < d1; i1++) {
      for (let i2 = 0; i2 < d2; i2++) {
        for (let i3 = 0; i3 < d3; i3++) {
          const index1 = i0 * p.input1Strides[0] + i1 * p.input1Strides[1] + i2 * p.input1Strides[2] + i3 * p.input1Strides[3];
          const index2 = i0 * p.input2Strides[0] + i1 * p.input2Strides[1] + i2 * p.input2Strides[2] + i3 * p.input2Strides[3];
          const shifted1 = (input1[index1] + p.input1Offset) * 2 ** p.leftShift;
          const shifted2 = (input2[index2] + p.input2Offset) * 2 ** p.leftShift;
          const scaled1 = multiplyByQuantizedMultiplier(shifted1, p.input1Multiplier, p.input1Shift);
          const scaled2 = multiplyByQuantizedMultiplier(shifted2, p.input2Multiplier, p.input2Shift);
          const sum = multiplyByQuantizedMultiplier(scaled1 + scaled2, p.outputMultiplier, p.outputShift) + p.outputOffset;
          output[outputIndex++] = clamp(sum, p.activationMin, p.activationMax);
        }
      }
    }
  }
}

export const Add: ReferenceKernel<AddParams> = Object.freeze({ prepare, evaluate });
