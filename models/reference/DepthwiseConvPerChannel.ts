// DEPTHWISE_CONV_2D int8 with per-channel weights: TFLite's
// reference_integer_ops::DepthwiseConvPerChannel. Filter layout [1, filterHeight, filterWidth,
// outputChannels]; output channel = inputChannel * depthMultiplier + m.

import { clamp, multiplyByQuantizedMultiplier } from '../quantization/fixed-point.js';
import { checkPadding, prepareConvolutionTensors } from './ConvPerChannel.js';
import { describeAccumulatorBound, preparedOp, type PreparedOp, type ReferenceKernel } from './kernel.js';
import {
  activationRange,
  constantData,
  maxAbs,
  perChannelMultipliers,
  unsupported,
  type PrepareContext,
  type TensorArray,
} from './tensors.js';

export interface DepthwiseConvParams {
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
  depthMultiplier: number;
  batches: number;
  inputHeight: number;
  inputWidth: number;
  inputChannels: number;
  outputHeight: number;
  outputWidth: number;
  outputChannels: number;
  filterHeight: number;
  filterWidth: number;
  /** Filter [1, filterHeight, filterWidth, outputChannels]. */
  filter: Int8Array;
  bias: Int32Array | null;
  outputMultiplier: Int32Array;
  outputShift: Int32Array;
}

function prepare(context: PrepareContext): PreparedOp<DepthwiseConvParams> {
  const { input, filter, bias, output, filterScales, inputQuantization, outputQuantization } = prepareConvolutionTensors(context);
  const options = context.op.options as Record<string, number>;
  const [batches, inputHeight, inputWidth, inputChannels] = input.shape;
  const [, filterHeight, filterWidth, outputChannels] = filter.shape;
  const [, outputHeight, outputWidth] = output.shape;
  if (filter.shape[0] !== 1) throw unsupported(context, `filter shape [${filter.shape}] must start with 1`);
  if (output.shape[3] !== outputChannels) throw unsupported(context, `output has ${output.shape[3]} channels, the filter ${outputChannels}`);
  // Old converters leave depth_multiplier at 0 or 1 and let the shapes decide, as TFLite does.
  const depthMultiplier = outputChannels / inputChannels;
  if (!Number.isInteger(depthMultiplier)) throw unsupported(context, `${outputChannels} output channels are not a multiple of ${inputChannels} input channels`);
  if (filterScales.length > 1 && filterScales.length !== outputChannels) throw unsupported(context, `filter has ${filterScales.length} scales for ${outputChannels} channels`);
  const strideHeight = options.strideH ?? 1;
  const strideWidth = options.strideW ?? 1;
  const dilationHeight = options.dilationHFactor ?? 1;
  const dilationWidth = options.dilationWFactor ?? 1;
  const activation = activationRange(context, options.fusedActivationFunction, output);
  const { multiplier, shift } = perChannelMultipliers(inputQuantization.scale, filterScales, outputQuantization.scale, outputChannels);
  const filterData = constantData(context, filter) as Int8Array;
  const biasData = bias ? (constantData(context, bias) as Int32Array) : null;

  let worst = 0;
  for (let c = 0; c < outputChannels; c++) {
    let sum = 0;
    for (let i = 0; i < filterHeight * filterWidth; i++) sum += Math.abs(filterData[i * outputChannels + c]);
    worst = Math.max(worst, sum * 255);
  }
  const params: DepthwiseConvParams = {
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
    depthMultiplier,
    batches,
    inputHeight,
    inputWidth,
    inputChannels,
    outputHeight,
    outputWidth,
    outputChannels,
    filterHeight,
    filterWidth,
    filter: filterData,
    bias: biasData,
    outputMultiplier: multiplier,
    outputShift: shift,
  };
  return preparedOp(context, params, {
    inputs: [input.index],
    macs: batches * outputHeight * outputWidth * outputChannels * filterHeight * filterWidth,
    accumulatorBound: describeAccumulatorBound(worst + maxAbs(biasData)),
  });
}

function evaluate(p: DepthwiseConvParams, [input]: TensorArray[], [output]: TensorArray[]): void {
  for (let batch = 0; batch < p.batches; batch++) {
    for (let outY = 0; outY < p.outputHeight; outY++) {
      const inYOrigin = outY * p.strideHeight - p.paddingHeight;
      for (let outX = 0; outX < p.outputWidth; outX++) {
        const inXOrigin = outX * p.strideWidth - p.paddingWidth;
        for (let inChannel = 0; inChannel < p.inputChannels; inChannel++) {
          for (let m = 0; m < p.depthMultiplier; m++) {
            const outChannel = m + inChannel * p.depthMultiplier;
            let acc = 0;
            for (let filterY = 0; filterY < p.filterHeight; filterY++) {
              const inY = inYOrigin + p.dilationHeight * filterY;
              if (inY < 0 || inY >= p.inputHeight) continue;
              for (let filterX = 0; filterX < p.filterWidth; filterX++) {
                const inX = inXOrigin + p.dilationWidth * filterX;
                if (inX < 0 || inX >= p.inputWidth) continue;
                const inputValue = input[((batch * p.inputHeight + inY) * p.inputWidth + inX) * p.inputChannels + inChannel];
                const filterValue = p.filter[(filterY * p.filterWidth + filterX) * p.outputChannels + outChannel];
                acc += filterValue * (inputValue + p.inputOffset);
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
}

export const DepthwiseConvPerChannel: ReferenceKernel<DepthwiseConvParams> = Object.freeze({ prepare, evaluate });
