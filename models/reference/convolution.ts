// Prepare steps shared by CONV_2D and DEPTHWISE_CONV_2D: tensor checks, geometry (strides,
// dilations, TFLite padding), activation range and per-channel output multipliers.

import {
  activationRange,
  computeOutputSize,
  computePadding,
  constantData,
  expectType,
  optionalInput,
  perChannelMultipliers,
  scalarQuantization,
  tensorAt,
  unsupported,
  type PrepareContext,
} from './tensors.js';

/** Integer parameters common to both convolution kernels; layouts are NHWC. */
export interface ConvolutionGeometry {
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
  bias: Int32Array | null;
  outputMultiplier: Int32Array;
  outputShift: Int32Array;
}

export function checkPadding(context: PrepareContext, padding: number, inputSize: number, filterSize: number, stride: number, dilation: number, outputSize: number): number {
  const expected = computeOutputSize(padding, inputSize, filterSize, stride, dilation);
  if (expected !== outputSize) throw unsupported(context, `output size ${outputSize} does not match ${expected} computed from the padding`);
  return computePadding(stride, dilation, inputSize, filterSize, outputSize);
}

/**
 * Checks int8 input, filter and output and an int32 bias, then computes the geometry for a filter
 * of `filterHeight` x `filterWidth` producing `outputChannels` channels. Returns the filter data too.
 */
export function prepareConvolution(context: PrepareContext, filterHeight: number, filterWidth: number, outputChannels: number): {
  geometry: ConvolutionGeometry;
  filter: Int8Array;
  inputIndex: number;
} {
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
  const filterScales = filterQuantization.scale;
  if (filterScales.length > 1 && filterScales.length !== outputChannels) throw unsupported(context, `filter has ${filterScales.length} scales for ${outputChannels} channels`);
  if (output.shape[3] !== outputChannels) throw unsupported(context, `output has ${output.shape[3]} channels, the filter ${outputChannels}`);

  const inputQuantization = scalarQuantization(context, input);
  const outputQuantization = scalarQuantization(context, output);
  const options = context.op.options as Record<string, number>;
  const [batches, inputHeight, inputWidth, inputChannels] = input.shape;
  const [, outputHeight, outputWidth] = output.shape;
  const strideHeight = options.strideH ?? 1;
  const strideWidth = options.strideW ?? 1;
  const dilationHeight = options.dilationHFactor ?? 1;
  const dilationWidth = options.dilationWFactor ?? 1;
  const activation = activationRange(context, options.fusedActivationFunction, output);
  const { multiplier, shift } = perChannelMultipliers(inputQuantization.scale, filterScales, outputQuantization.scale, outputChannels);
  const geometry: ConvolutionGeometry = {
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
    bias: bias ? (constantData(context, bias) as Int32Array) : null,
    outputMultiplier: multiplier,
    outputShift: shift,
  };
  return { geometry, filter: constantData(context, filter) as Int8Array, inputIndex: input.index };
}
