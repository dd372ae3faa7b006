// FULLY_CONNECTED int8: TFLite's reference_integer_ops::FullyConnected, per-tensor or per-channel
// weights. Filter layout [outputDepth, accumDepth]; the input is flattened to [batches, accumDepth].

import { clamp, multiplyByQuantizedMultiplier } from '../quantization/fixed-point.js';
import { describeAccumulatorBound, preparedOp, type PreparedOp, type ReferenceKernel } from './kernel.js';
import {
  activationRange,
  constantData,
  elementCount,
  expectType,
  maxAbs,
  optionalInput,
  perChannelMultipliers,
  scalarQuantization,
  tensorAt,
  unsupported,
  type PrepareContext,
  type TensorArray,
} from './tensors.js';

export interface FullyConnectedParams {
  inputOffset: number;
  filterOffset: number;
  outputOffset: number;
  activationMin: number;
  activationMax: number;
  batches: number;
  accumDepth: number;
  outputDepth: number;
  filter: Int8Array;
  bias: Int32Array | null;
  /** One multiplier per output channel; per-tensor weights repeat the same value. */
  outputMultiplier: Int32Array;
  outputShift: Int32Array;
}

function prepare(context: PrepareContext): PreparedOp<FullyConnectedParams> {
  const input = tensorAt(context, 0, 'input');
  const filter = tensorAt(context, 1, 'input');
  const bias = optionalInput(context, 2);
  const output = tensorAt(context, 0, 'output');
  expectType(context, input, ['INT8']);
  expectType(context, filter, ['INT8']);
  expectType(context, output, ['INT8']);
  if (bias) expectType(context, bias, ['INT32']);
  const options = context.op.options as Record<string, number>;
  if ((options.weightsFormat ?? 0) !== 0) throw unsupported(context, 'shuffled weights are not supported');
  if (filter.shape.length !== 2) throw unsupported(context, `filter shape [${filter.shape}] must be 2-D`);
  const [outputDepth, accumDepth] = filter.shape;
  const inputElements = elementCount(input.shape);
  if (inputElements % accumDepth !== 0) throw unsupported(context, `input of ${inputElements} values does not split into rows of ${accumDepth}`);
  const batches = inputElements / accumDepth;
  const filterQuantization = filter.quantization;
  if (!filterQuantization || filterQuantization.scale.length === 0) throw unsupported(context, `filter "${filter.name}" is not quantized`);
  const inputQuantization = scalarQuantization(context, input);
  const outputQuantization = scalarQuantization(context, output);
  const activation = activationRange(context, options.fusedActivationFunction, output);
  const { multiplier, shift } = perChannelMultipliers(inputQuantization.scale, filterQuantization.scale, outputQuantization.scale, outputDepth);
  const filterData = constantData(context, filter) as Int8Array;
  const biasData = bias ? (constantData(context, bias) as Int32Array) : null;
  const filterOffset = -(filterQuantization.zeroPoint[0] ?? 0);

  let worst = 0;
  for (let o = 0; o < outputDepth; o++) {
    let sum = 0;
    for (let i = 0; i < accumDepth; i++) sum += Math.abs(filterData[o * accumDepth + i] + filterOffset);
    worst = Math.max(worst, sum * 255);
  }
  const params: FullyConnectedParams = {
    inputOffset: -inputQuantization.zeroPoint,
    filterOffset,
    outputOffset: outputQuantization.zeroPoint,
    activationMin: activation.min,
    activationMax: activation.max,
    batches,
    accumDepth,
    outputDepth,
    filter: filterData,
    bias: biasData,
    outputMultiplier: multiplier,
    outputShift: shift,
  };
  return preparedOp(context, params, {
    inputs: [input.index],
    macs: batches * outputDepth * accumDepth,
    accumulatorBound: describeAccumulatorBound(worst + maxAbs(biasData)),
  });
}

function evaluate(p: FullyConnectedParams, [input]: TensorArray[], [output]: TensorArray[]): void {
  for (let batch = 0; batch < p.batches; batch++) {
    for (let outChannel = 0; outChannel < p.outputDepth; outChannel++) {
      let acc = 0;
      for (let d = 0; d < p.accumDepth; d++) {
        acc += (p.filter[outChannel * p.accumDepth + d] + p.filterOffset) * (input[batch * p.accumDepth + d] + p.inputOffset);
      }
      if (p.bias) acc += p.bias[outChannel];
      acc = multiplyByQuantizedMultiplier(acc, p.outputMultiplier[outChannel], p.outputShift[outChannel]);
      acc += p.outputOffset;
      output[batch * p.outputDepth + outChannel] = clamp(acc, p.activationMin, p.activationMax);
    }
  }
}

export const FullyConnected: ReferenceKernel<FullyConnectedParams> = Object.freeze({ prepare, evaluate });
