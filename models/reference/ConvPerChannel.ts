// CONV_2D int8 with per-channel weights: TFLite's reference_integer_ops::ConvPerChannel.
// Layouts: input and output NHWC, filter OHWI [outputChannels, filterHeight, filterWidth, inputChannels].

import { clamp, multiplyByQuantizedMultiplier } from '../quantization/fixed-point.js';
import { describeAccumulatorBound, preparedOp, type PreparedOp, type ReferenceKernel } from './kernel.js';
import {
  activationRange,
  computeOutputSize,
  computePadding,
  constantData,
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

export interface ConvParams {
  inputOffset: number;
  outputOffset: number;
  activationMin: number;
  activationMax: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  paddingHeight: number;
  paddingWidth: number;
  batches: number;
  inputHeight: number;
  inputWidth: number;
  inputChannels: number;
  outputHeight: number;
  outputWidth: number;
  outputChannels: number;
  filterHeight: number;
  filterWidth: number;
  filterOHWI: Int8Array;
  bias: Int32Array | null;
  outputMultiplier: Int32Array;
  outputShift: Int32Array;
}

/** Shared checks of CONV_2D and DEPTHWISE_CONV_2D: int8 activations, int8 filter, int32 bias. */
export function prepareConvolutionTensors(context: PrepareContext) {
  const input = tensorAt(context, 0, 'input');
  const filter = tensorAt(context, 1, 'input');
  const bias = optionalInput(context, 2);
  const output = tensorAt(context, 0, 'output');
  expectType(context, input, ['INT8']);
  expectType(context, filter, ['INT8']);
  expectType(context, output, ['INT8']);
  if (bias) expectType(context, bias, ['INT32']);
  if (input.shape.length !== 4 || filter.shape.length !== 4 || output.shape.length !== 4) {
    throw unsupported(context, 'input, filter and output must be 4-D (NHWC)');
  }
  const filterQuantization = filter.quantization;
  if (!filterQuantization || filterQuantization.scale.length === 0) throw unsupported(context, `filter "${filter.name}" is not quantized`);
  if (filterQuantization.zeroPoint.some((zeroPoint) => zeroPoint !== 0)) {
    throw unsupported(context, `filter "${filter.name}" has a non-zero zero point; int8 weights must be symmetric`);
  }
  const inputQuantization = scalarQuantization(context, input);
  const outputQuantization = scalarQuantization(context, output);
  return { input, filter, bias, output, filterScales: filterQuantization.scale, inputQuantization, outputQuantization };
}

export function checkPadding(context: PrepareContext, padding: number, inputSize: number, filterSize: number, stride: number, dilation: number, outputSize: number): number {
  const expected = computeOutputSize(padding, inputSize, filterSize, stride, dilation);
  if (expected !== outputSize) throw unsupported(context, `output size ${outputSize} does not match ${expected} computed from the padding`);
  return computePadding(stride, dilation, inputSize, filterSize, outputSize);
}

function prepare(context: PrepareContext): PreparedOp<ConvParams> {
  const { input, filter, bias, output, filterScales, inputQuantization, outputQuantization } = prepareConvolutionTensors(context);
  const options = context.op.options as Record<string, number>;
  const [batches, inputHeight, inputWidth, inputChannels] = input.shape;
  const [outputChannels, filterHeight, filterWidth, filterInputChannels] = filter.shape;
  const [, outputHeight, outputWidth] = output.shape;
  if (filterInputChannels !== inputChannels) throw unsupported(context, `filter has ${filterInputChannels} input channels, the input ${inputChannels} (grouped convolution)`);
  if (output.shape[3] !== outputChannels) throw unsupported(context, `output has ${output.shape[3]} channels, the filter ${outputChannels}`);
  if (filterScales.length > 1 && filterScales.length !== outputChannels) throw unsupported(context, `filter has ${filterScales.length} scales for ${outputChannels} channels`);
  const strideHeight = options.strideH ?? 1;
  const strideWidth = options.strideW ?? 1;
  const dilationHeight = options.dilationHFactor ?? 1;
  const dilationWidth = options.dilationWFactor ?? 1;
  const activation = activationRange(context, options.fusedActivationFunction, output);
  const { multiplier, shift } = perChannelMultipliers(inputQuantization.scale, filterScales, outputQuantization.scale, outputChannels);
  const filterOHWI = constantData(context, filter) as Int8Array;
  const biasData = bias ? (constantData(context, bias) as Int32Array) : null;

  // Each product is |w| * |x - zeroPoint| <= |w| * 255; summed over one output channel's filter.
  let worst = 0;
  const perChannel = filterHeight * filterWidth * inputChannels;
  for (let c = 0; c < outputChannels; c++) {
    let sum = 0;
    for (let i = 0; i < perChannel; i++) sum += Math.abs(filterOHWI[c * perChannel + i]);
    worst = Math.max(worst, sum * 255);
  }
  const params: ConvParams = {
    inputOffset: -inputQuantization.zeroPoint,
    outputOffset: outputQuantization.zeroPoint,
    activationMin: activation.min,
    activationMax: activation.max,
    strideHeight,
    strideWidth,
    dilationHeight,
    dilationWidth,
    paddingHeight: checkPadding(context, options.padding ?? 0, inputHeight, filterHeight, strideHeight, dilationHeight, outputHeight),
    paddingWidth: checkPadding(context, options.padding ?? 0, inputWidth, filterWidth, strideWidth, dilationWidth, outputWidth),
    batches,
    inputHeight,
    inputWidth,
    inputChannels,
    outputHeight,
    outputWidth,
    outputChannels,
    filterHeight,
    filterWidth,
    filterOHWI,
    bias: biasData,
    outputMultiplier: multiplier,
    outputShift: shift,
  };
  return preparedOp(context, params, {
    inputs: [input.index],
    macs: batches * outputHeight * outputWidth * outputChannels * perChannel,
    accumulatorBound: describeAccumulatorBound(worst + maxAbs(biasData)),
  });
}

function evaluate(p: ConvParams, [input]: TensorArray[], [output]: TensorArray[]): void {
  for (let batch = 0; batch < p.batches; batch++) {
    for (let outY = 0; outY < p.outputHeight; outY++) {
      const inYOrigin = outY * p.strideHeight - p.paddingHeight;
      for (let outX = 0; outX < p.outputWidth; outX++) {
        const inXOrigin = outX * p.strideWidth - p.paddingWidth;
        for (let outChannel = 0; outChannel < p.outputChannels; outChannel++) {
          let acc = 0;
          for (let filterY = 0; filterY < p.filterHeight; filterY++) {
            const inY = inYOrigin + p.dilationHeight * filterY;
            if (inY < 0 || inY >= p.inputHeight) continue;
            for (let filterX = 0; filterX < p.filterWidth; filterX++) {
              const inX = inXOrigin + p.dilationWidth * filterX;
              // Taps outside the input read the zero point, so they contribute 0 after the offset.
              if (inX < 0 || inX >= p.inputWidth) continue;
              const inputBase = ((batch * p.inputHeight + inY) * p.inputWidth + inX) * p.inputChannels;
              const filterBase = ((outChannel * p.filterHeight + filterY) * p.filterWidth + filterX) * p.inputChannels;
              for (let inChannel = 0; inChannel < p.inputChannels; inChannel++) {
                acc += p.filterOHWI[filterBase + inChannel] * (input[inputBase + inChannel] + p.inputOffset);
              }
            }
          }
          if (p.bias) acc += p.bias[outChannel];
          acc = multiplyByQuantizedMultiplier(acc, p.outputMultiplier[outChannel], p.outputShift[outChannel]);
          acc += p.outputOffset;
          output[((batch * p.outputHeight + outY) * p.outputWidth + outX) * p.outputChannels + outChannel] = clamp(acc, p.activationMin, p.activationMax);
        }
      }
    }
  }
}

export const ConvPerChannel: ReferenceKernel<ConvParams> = Object.freeze({ prepare, evaluate });
