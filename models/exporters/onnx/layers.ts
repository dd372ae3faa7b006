// One converter per Keras layer class, from a built tfjs layer to intermediate ops (ir.ts).
// Converters read the layer's config and weights only; folding and layout belong to passes.ts and
// emit.ts. A class missing from LAYER_CONVERTERS makes the export fail with the layer's name.

import type * as tf from '@tensorflow/tfjs';
import { EdgeTrainerError } from '../../errors.js';
import type { ActivationKind, ConvOp, Op } from './ir.js';

export interface LayerContext {
  /** Unique prefix for the values and ops this layer creates, e.g. "sequential_1/model1/Conv1". */
  name: string;
  inputs: string[];
  /** Creates a unique value name below this layer's prefix. */
  newValue(suffix?: string): string;
}

export interface Conversion {
  ops: Op[];
  outputs: string[];
}

type LayerConverter = (layer: tf.layers.Layer, config: LayerConfig, context: LayerContext) => Conversion;

type LayerConfig = Record<string, unknown>;

/** tfjs activation identifiers mapped to the exporter's kinds; 'linear' adds no op. */
const ACTIVATIONS: Readonly<Record<string, ActivationKind | null>> = Object.freeze({
  linear: null,
  relu: 'relu',
  relu6: 'relu6',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  softmax: 'softmax',
  elu: 'elu',
  selu: 'selu',
  softplus: 'softplus',
  softsign: 'softsign',
  swish: 'swish',
});

export function unsupportedLayer(layer: tf.layers.Layer, reason: string): EdgeTrainerError {
  return new EdgeTrainerError('unsupported', `ONNX export: layer "${layer.name}" (${layer.getClassName()}) is not supported: ${reason}.`, {
    hint: `Replace the layer with a supported one (${Object.keys(LAYER_CONVERTERS).join(', ')}) or export to TensorFlow.js instead.`,
  });
}

/** Reads a layer's weights by their Keras short name ("kernel", "moving_mean", ...), as float32 copies. */
function readWeights(layer: tf.layers.Layer): Map<string, { values: Float32Array; shape: number[] }> {
  const weights = new Map<string, { values: Float32Array; shape: number[] }>();
  for (const variable of layer.weights) {
    const shortName = variable.originalName.split('/').pop() ?? variable.originalName;
    const value = variable.read();
    if (value.dtype !== 'float32') throw unsupportedLayer(layer, `weight ${variable.originalName} is ${value.dtype}, expected float32`);
    weights.set(shortName, { values: Float32Array.from(value.dataSync() as Float32Array), shape: value.shape.slice() });
  }
  return weights;
}

function requireWeight(layer: tf.layers.Layer, weights: ReturnType<typeof readWeights>, shortName: string): { values: Float32Array; shape: number[] } {
  const weight = weights.get(shortName);
  if (!weight) throw unsupportedLayer(layer, `it has no ${shortName} weight`);
  return weight;
}

function pair(value: unknown, layer: tf.layers.Layer, field: string): [number, number] {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((item) => typeof item === 'number')) return [value[0], value[1]];
  throw unsupportedLayer(layer, `${field} is ${JSON.stringify(value)}, expected a number or two numbers`);
}

function requireChannelsLast(layer: tf.layers.Layer, config: LayerConfig): void {
  const format = config.dataFormat;
  if (format !== undefined && format !== 'channelsLast') throw unsupportedLayer(layer, `dataFormat ${String(format)}, only channelsLast is exported`);
}

/** Input shapes of the layer's first call; layers called again in one model see the same shapes. */
function inputShapes(layer: tf.layers.Layer): (number | null)[][] {
  const shapes = layer.inboundNodes[0]?.inputShapes;
  if (shapes === undefined || shapes.length === 0) return [];
  return (Array.isArray(shapes[0]) ? shapes : [shapes]) as (number | null)[][];
}

function singleInputShape(layer: tf.layers.Layer): (number | null)[] | undefined {
  const shapes = inputShapes(layer);
  return shapes.length === 1 ? shapes[0] : undefined;
}

/**
 * Explicit pads [top, left, bottom, right] for Keras padding 'same' or 'valid'. 'same' follows
 * TensorFlow: total = max((ceil(in / stride) - 1) * stride + effectiveKernel - in, 0), with the odd
 * pixel at the bottom or right. Returns 'same-upper' when the spatial input size is unknown.
 */
export function spatialPads(
  padding: unknown,
  inputShape: (number | null)[] | undefined,
  kernel: [number, number],
  strides: [number, number],
  dilations: [number, number],
): [number, number, number, number] | 'same-upper' {
  if (padding === 'valid') return [0, 0, 0, 0];
  const height = inputShape?.[1];
  const width = inputShape?.[2];
  if (typeof height !== 'number' || typeof width !== 'number') return 'same-upper';
  const totals = [height, width].map((size, axis) => {
    const effectiveKernel = (kernel[axis] - 1) * dilations[axis] + 1;
    const outSize = Math.ceil(size / strides[axis]);
    return Math.max((outSize - 1) * strides[axis] + effectiveKernel - size, 0);
  });
  const top = Math.floor(totals[0] / 2);
  const left = Math.floor(totals[1] / 2);
  return [top, left, totals[0] - top, totals[1] - left];
}

function checkPadding(layer: tf.layers.Layer, padding: unknown): void {
  if (padding !== 'same' && padding !== 'valid') throw unsupportedLayer(layer, `padding ${String(padding)}, expected same or valid`);
}

/** Appends the layer's fused activation, if any, after `ops`. */
function withActivation(layer: tf.layers.Layer, config: LayerConfig, context: LayerContext, ops: Op[], output: string): Conversion {
  const identifier = (config.activation as string | undefined) ?? 'linear';
  if (!(identifier in ACTIVATIONS)) throw unsupportedLayer(layer, `activation ${identifier}`);
  const kind = ACTIVATIONS[identifier];
  if (kind === null) return { ops, outputs: [output] };
  const activated = context.newValue(identifier);
  ops.push({ type: 'activation', name: `${context.name}/${identifier}`, input: output, output: activated, kind });
  return { ops, outputs: [activated] };
}

/** Keras kernel [filterHeight, filterWidth, inChannels, outChannels] to ONNX [out, in, filterHeight, filterWidth]. */
export function kernelHWIOtoOIHW(kernel: Float32Array, shape: number[]): Float32Array {
  const [filterHeight, filterWidth, inChannels, outChannels] = shape;
  const filter = new Float32Array(kernel.length);
  for (let filterY = 0; filterY < filterHeight; filterY++) {
    for (let filterX = 0; filterX < filterWidth; filterX++) {
      for (let inChannel = 0; inChannel < inChannels; inChannel++) {
        const source = ((filterY * filterWidth + filterX) * inChannels + inChannel) * outChannels;
        for (let outChannel = 0; outChannel < outChannels; outChannel++) {
          filter[((outChannel * inChannels + inChannel) * filterHeight + filterY) * filterWidth + filterX] = kernel[source + outChannel];
        }
      }
    }
  }
  return filter;
}

/**
 * Keras depthwise kernel [filterHeight, filterWidth, inChannels, multiplier] to an ONNX grouped-conv
 * filter [inChannels * multiplier, 1, filterHeight, filterWidth]. Output channel
 * inChannel * multiplier + m matches TensorFlow's depthwise output order.
 */
export function depthwiseKernelToOIHW(kernel: Float32Array, shape: number[]): Float32Array {
  const [filterHeight, filterWidth, inChannels, multiplier] = shape;
  // Seen as [filterHeight, filterWidth, 1, inChannels * multiplier], the depthwise kernel is an HWIO kernel.
  return kernelHWIOtoOIHW(kernel, [filterHeight, filterWidth, 1, inChannels * multiplier]);
}

/** Builds the conv op of a Conv2D or DepthwiseConv2D layer from its filter in ONNX order. */
function convOp(
  layer: tf.layers.Layer,
  config: LayerConfig,
  context: LayerContext,
  filter: { values: Float32Array; shape: ConvOp['filterShape']; group: number; bias?: Float32Array },
): ConvOp {
  requireChannelsLast(layer, config);
  checkPadding(layer, config.padding);
  const strides = pair(config.strides, layer, 'strides');
  const dilations = pair(config.dilationRate ?? 1, layer, 'dilationRate');
  const kernel: [number, number] = [filter.shape[2], filter.shape[3]];
  return {
    type: 'conv',
    name: context.name,
    input: context.inputs[0],
    output: context.newValue('conv'),
    filterOIHW: filter.values,
    filterShape: filter.shape,
    bias: filter.bias,
    strides,
    dilations,
    pads: spatialPads(config.padding, singleInputShape(layer), kernel, strides, dilations),
    group: filter.group,
  };
}

function convert2d(layer: tf.layers.Layer, config: LayerConfig, context: LayerContext): Conversion {
  const weights = readWeights(layer);
  const kernel = requireWeight(layer, weights, 'kernel');
  const [filterHeight, filterWidth, inChannels, outChannels] = kernel.shape;
  const op = convOp(layer, config, context, {
    values: kernelHWIOtoOIHW(kernel.values, kernel.shape),
    shape: [outChannels, inChannels, filterHeight, filterWidth],
    group: 1,
    bias: weights.get('bias')?.values,
  });
  return withActivation(layer, config, context, [op], op.output);
}

function convertDepthwise2d(layer: tf.layers.Layer, config: LayerConfig, context: LayerContext): Conversion {
  const weights = readWeights(layer);
  const kernel = requireWeight(layer, weights, 'depthwise_kernel');
  const [filterHeight, filterWidth, inChannels, multiplier] = kernel.shape;
  const op = convOp(layer, config, context, {
    values: depthwiseKernelToOIHW(kernel.values, kernel.shape),
    shape: [inChannels * multiplier, 1, filterHeight, filterWidth],
    group: inChannels,
    bias: weights.get('bias')?.values,
  });
  return withActivation(layer, config, context, [op], op.output);
}

/** SeparableConv2D as a depthwise conv followed by a 1x1 conv, which carries the bias. */
function convertSeparable2d(layer: tf.layers.Layer, config: LayerConfig, context: LayerContext): Conversion {
  const weights = readWeights(layer);
  const depthwise = requireWeight(layer, weights, 'depthwise_kernel');
  const pointwise = requireWeight(layer, weights, 'pointwise_kernel');
  const [filterHeight, filterWidth, inChannels, multiplier] = depthwise.shape;
  const depthwiseOp = convOp(layer, config, { ...context, name: `${context.name}/depthwise` }, {
    values: depthwiseKernelToOIHW(depthwise.values, depthwise.shape),
    shape: [inChannels * multiplier, 1, filterHeight, filterWidth],
    group: inChannels,
  });

  const pointwiseOp: ConvOp = {
    type: 'conv',
    name: `${context.name}/pointwise`,
    input: depthwiseOp.output,
    output: context.newValue('pointwise'),
    filterOIHW: kernelHWIOtoOIHW(pointwise.values, pointwise.shape),
    filterShape: [pointwise.shape[3], inChannels * multiplier, 1, 1],
    bias: weights.get('bias')?.values,
    strides: [1, 1],
    dilations: [1, 1],
    pads: [0, 0, 0, 0],
    group: 1,
  };
  return withActivation(layer, config, context, [depthwiseOp, pointwiseOp], pointwiseOp.output);
}

/** Inference-time BatchNormalization as scale = gamma / sqrt(variance + epsilon), shift = beta - mean * scale. */
function convertBatchNormalization(layer: tf.layers.Layer, config: LayerConfig, context: LayerContext): Conversion {
  const axis = Array.isArray(config.axis) ? config.axis : [config.axis];
  const rank = singleInputShape(layer)?.length;
  const lastAxis = rank === undefined ? -1 : rank - 1;
  if (axis.length !== 1 || !(axis[0] === -1 || axis[0] === lastAxis)) throw unsupportedLayer(layer, `axis ${JSON.stringify(config.axis)}, only the channel axis is exported`);
  const weights = readWeights(layer);
  const mean = requireWeight(layer, weights, 'moving_mean').values;
  const variance = requireWeight(layer, weights, 'moving_variance').values;
  const gamma = weights.get('gamma')?.values;
  const beta = weights.get('beta')?.values;
  const epsilon = config.epsilon as number;
  const scale = new Float32Array(mean.length);
  const shift = new Float32Array(mean.length);
  for (let channel = 0; channel < mean.length; channel++) {
    scale[channel] = (gamma?.[channel] ?? 1) / Math.sqrt(variance[channel] + epsilon);
    shift[channel] = (beta?.[channel] ?? 0) - mean[channel] * scale[channel];
  }
  const output = context.newValue('bn');
  return { ops: [{ type: 'channel-affine', name: context.name, input: context.inputs[0], output, scale, shift }], outputs: [output] };
}

function convertReLU(layer: tf.layers.Layer, config: LayerConfig, context: LayerContext): Conversion {
  const maxValue = config.maxValue as number | null | undefined;
  if (maxValue !== undefined && maxValue !== null && maxValue !== 6) throw unsupportedLayer(layer, `maxValue ${maxValue}, only none and 6 are exported`);
  const kind: ActivationKind = maxValue === 6 ? 'relu6' : 'relu';
  const output = context.newValue(kind);
  return { ops: [{ type: 'activation', name: context.name, input: context.inputs[0], output, kind }], outputs: [output] };
}

function convertActivation(layer: tf.layers.Layer, config: LayerConfig, context: LayerContext): Conversion {
  return withActivation(layer, config, context, [], context.inputs[0]);
}

function convertSoftmax(layer: tf.layers.Layer, config: LayerConfig, context: LayerContext): Conversion {
  const axis = config.axis ?? -1;
  if (axis !== -1 && !(Array.isArray(axis) && axis.length === 1 && axis[0] === -1)) throw unsupportedLayer(layer, `axis ${JSON.stringify(axis)}, only the last axis is exported`);
  return withActivation(layer, { activation: 'softmax' }, context, [], context.inputs[0]);
}

function convertZeroPadding2d(layer: tf.layers.Layer, config: LayerConfig, context: LayerContext): Conversion {
  requireChannelsLast(layer, config);
  const padding = config.padding;
  let pads: [number, number, number, number];
  if (typeof padding === 'number') {
    pads = [padding, padding, padding, padding];
  } else if (Array.isArray(padding) && padding.length === 2 && padding.every(Array.isArray)) {
    const [[top, bottom], [left, right]] = padding as [[number, number], [number, number]];
    pads = [top, left, bottom, right];
  } else if (Array.isArray(padding) && padding.length === 2) {
    const [vertical, horizontal] = padding as [number, number];
    pads = [vertical, horizontal, vertical, horizontal];
  } else {
    throw unsupportedLayer(layer, `padding ${JSON.stringify(padding)}`);
  }
  const output = context.newValue('pad');
  return { ops: [{ type: 'pad', name: context.name, input: context.inputs[0], output, pads }], outputs: [output] };
}

function convertAdd(layer: tf.layers.Layer, _config: LayerConfig, context: LayerContext): Conversion {
  const output = context.newValue('add');
  return { ops: [{ type: 'add', name: context.name, inputs: context.inputs, output }], outputs: [output] };
}

function convertConcatenate(layer: tf.layers.Layer, config: LayerConfig, context: LayerContext): Conversion {
  const rank = inputShapes(layer)[0]?.length;
  if (!(config.axis === -1 || (rank !== undefined && config.axis === rank - 1))) throw unsupportedLayer(layer, `axis ${String(config.axis)}, only the last axis is exported`);
  const output = context.newValue('concat');
  return { ops: [{ type: 'concat', name: context.name, inputs: context.inputs, output }], outputs: [output] };
}

function globalPool(mode: 'average' | 'max'): LayerConverter {
  return (layer, config, context) => {
    requireChannelsLast(layer, config);
    if (config.keepDims === true) throw unsupportedLayer(layer, 'keepDims true');
    const output = context.newValue('pool');
    return { ops: [{ type: 'global-pool', name: context.name, input: context.inputs[0], output, mode }], outputs: [output] };
  };
}

function pool(mode: 'average' | 'max'): LayerConverter {
  return (layer, config, context) => {
    requireChannelsLast(layer, config);
    checkPadding(layer, config.padding);
    const kernel = pair(config.poolSize, layer, 'poolSize');
    const strides = pair(config.strides ?? config.poolSize, layer, 'strides');
    const pads = spatialPads(config.padding, singleInputShape(layer), kernel, strides, [1, 1]);
    // Keras 'same' average pooling divides by the valid pixels only, which ONNX AveragePool does
    // with count_include_pad 0, its default, so both modes map directly.
    const output = context.newValue('pool');
    return { ops: [{ type: 'pool', name: context.name, input: context.inputs[0], output, mode, kernel, strides, pads }], outputs: [output] };
  };
}

function convertFlatten(layer: tf.layers.Layer, _config: LayerConfig, context: LayerContext): Conversion {
  const rank = singleInputShape(layer)?.length;
  if (rank !== undefined && rank !== 2 && rank !== 4) throw unsupportedLayer(layer, `input rank ${rank}, expected 2 or 4`);
  const output = context.newValue('flatten');
  return { ops: [{ type: 'flatten', name: context.name, input: context.inputs[0], output }], outputs: [output] };
}

function convertDense(layer: tf.layers.Layer, config: LayerConfig, context: LayerContext): Conversion {
  const rank = singleInputShape(layer)?.length;
  if (rank !== undefined && rank !== 2) throw unsupportedLayer(layer, `input rank ${rank}, only [batch, units] inputs are exported`);
  const weights = readWeights(layer);
  const kernel = requireWeight(layer, weights, 'kernel');
  const output = context.newValue('dense');
  const ops: Op[] = [
    {
      type: 'dense',
      name: context.name,
      input: context.inputs[0],
      output,
      kernel: kernel.values,
      inputUnits: kernel.shape[0],
      units: kernel.shape[1],
      bias: weights.get('bias')?.values,
    },
  ];
  return withActivation(layer, config, context, ops, output);
}

/** Layers that compute nothing at inference time. */
function passThrough(_layer: tf.layers.Layer, _config: LayerConfig, context: LayerContext): Conversion {
  return { ops: [], outputs: context.inputs.slice(0, 1) };
}

export const LAYER_CONVERTERS: Readonly<Record<string, LayerConverter>> = Object.freeze({
  Conv2D: convert2d,
  DepthwiseConv2D: convertDepthwise2d,
  SeparableConv2D: convertSeparable2d,
  BatchNormalization: convertBatchNormalization,
  ReLU: convertReLU,
  Activation: convertActivation,
  Softmax: convertSoftmax,
  ZeroPadding2D: convertZeroPadding2d,
  Add: convertAdd,
  Concatenate: convertConcatenate,
  GlobalAveragePooling2D: globalPool('average'),
  GlobalMaxPooling2D: globalPool('max'),
  AveragePooling2D: pool('average'),
  MaxPooling2D: pool('max'),
  Flatten: convertFlatten,
  Dense: convertDense,
  Dropout: passThrough,
  SpatialDropout2D: passThrough,
  GaussianNoise: passThrough,
  GaussianDropout: passThrough,
});
