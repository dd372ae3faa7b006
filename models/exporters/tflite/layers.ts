// Lowering of single tfjs layers to graph ops, one entry per Keras class name. Containers
// (Sequential, Model) are walked by lower.ts; everything here sees plain layers.

import * as tf from '@tensorflow/tfjs';
import {
  addFloatConstant,
  addInt32Constant,
  addTensor,
  elementCount,
  unsupportedLayer,
  type Graph,
  type GraphOpcode,
  type OpOptions,
  type Padding,
} from './graph.js';

export interface LayerContext {
  graph: Graph;
  /** Name of the layer with its container path, used for tensor names and errors. */
  name: string;
  className: string;
  layer: tf.layers.Layer;
  config: Record<string, unknown>;
}

export type LayerLowering = (context: LayerContext, inputs: number[]) => number[];

/** Shape of a layer output for a batch of one, from the layer's own shape inference. */
function outputShape(context: LayerContext, inputs: number[]): number[] {
  const inputShapes = inputs.map((index) => [null, ...context.graph.tensors[index].shape.slice(1)]);
  const shape = context.layer.computeOutputShape(inputShapes.length === 1 ? inputShapes[0] : inputShapes) as (number | null)[];
  return shape.map((dim) => (dim === null ? 1 : dim));
}

function weightValues(context: LayerContext): Float32Array[] {
  return context.layer.getWeights().map((weight) => weight.dataSync() as Float32Array);
}

function addOp(context: LayerContext, opcode: GraphOpcode, inputs: number[], shape: number[], options: OpOptions, suffix = ''): number {
  const output = addTensor(context.graph, { name: context.name + suffix, shape, dtype: 'float32' });
  context.graph.ops.push({ opcode, inputs, outputs: [output], options, layer: context.name });
  return output;
}

const ACTIVATION_OPS: Readonly<Record<string, GraphOpcode | null>> = Object.freeze({
  linear: null,
  relu: 'RELU',
  relu6: 'RELU6',
  softmax: 'SOFTMAX',
  sigmoid: 'LOGISTIC',
  tanh: 'TANH',
});

/** Appends the op of a Keras activation name ('linear' adds nothing); fusion happens later. */
function applyActivation(context: LayerContext, input: number, activation: unknown): number {
  const name = typeof activation === 'string' ? activation : 'linear';
  const opcode = ACTIVATION_OPS[name];
  if (opcode === undefined) throw unsupportedLayer(context.name, context.className, `uses activation "${name}", which TFLite export does not support`);
  if (opcode === null) return input;
  const options: OpOptions = opcode === 'SOFTMAX' ? { kind: 'softmax', beta: 1 } : { kind: 'none' };
  return addOp(context, opcode, [input], context.graph.tensors[input].shape, options, `/${name}`);
}

function pair(value: unknown, fallback: number): [number, number] {
  if (Array.isArray(value)) return [Number(value[0]), Number(value[1] ?? value[0])];
  if (typeof value === 'number') return [value, value];
  return [fallback, fallback];
}

function padding(context: LayerContext): Padding {
  const value = context.config.padding;
  if (value === 'same') return 'SAME';
  if (value === 'valid') return 'VALID';
  throw unsupportedLayer(context.name, context.className, `uses padding "${String(value)}"; only "same" and "valid" map to TFLite`);
}

function requireChannelsLast(context: LayerContext): void {
  const format = context.config.dataFormat;
  if (format !== undefined && format !== 'channelsLast') {
    throw unsupportedLayer(context.name, context.className, `uses dataFormat "${String(format)}"; TFLite needs channelsLast`);
  }
}

/** Conv2D: tfjs kernelHWIO [kh, kw, in, out] becomes TFLite filterOHWI [out, kh, kw, in]. */
function lowerConv2D(context: LayerContext, inputs: number[]): number[] {
  requireChannelsLast(context);
  const [kernelHWIO, bias] = weightValues(context);
  const [kernelH, kernelW, inChannels, outChannels] = context.layer.getWeights()[0].shape;
  const filterOHWI = new Float32Array(kernelHWIO.length);
  for (let out = 0; out < outChannels; out++) {
    for (let y = 0; y < kernelH; y++) {
      for (let x = 0; x < kernelW; x++) {
        for (let inChannel = 0; inChannel < inChannels; inChannel++) {
          filterOHWI[((out * kernelH + y) * kernelW + x) * inChannels + inChannel] = kernelHWIO[((y * kernelW + x) * inChannels + inChannel) * outChannels + out];
        }
      }
    }
  }
  const filter = addFloatConstant(context.graph, `${context.name}/filter`, [outChannels, kernelH, kernelW, inChannels], filterOHWI);
  const biasTensor = addFloatConstant(context.graph, `${context.name}/bias`, [outChannels], bias ?? new Float32Array(outChannels));
  const [strideH, strideW] = pair(context.config.strides, 1);
  const [dilationH, dilationW] = pair(context.config.dilationRate, 1);
  const options: OpOptions = { kind: 'conv', padding: padding(context), strideH, strideW, dilationH, dilationW, activation: 'NONE', depthMultiplier: 1 };
  const output = addOp(context, 'CONV_2D', [inputs[0], filter, biasTensor], outputShape(context, inputs), options);
  return [applyActivation(context, output, context.config.activation)];
}

/** DepthwiseConv2D: tfjs [kh, kw, in, multiplier] is already TFLite's [1, kh, kw, in * multiplier] in memory. */
function lowerDepthwiseConv2D(context: LayerContext, inputs: number[]): number[] {
  requireChannelsLast(context);
  const [kernel, bias] = weightValues(context);
  const [kernelH, kernelW, inChannels, multiplier] = context.layer.getWeights()[0].shape;
  const outChannels = inChannels * multiplier;
  const filter = addFloatConstant(context.graph, `${context.name}/filter`, [1, kernelH, kernelW, outChannels], kernel);
  const biasTensor = addFloatConstant(context.graph, `${context.name}/bias`, [outChannels], bias ?? new Float32Array(outChannels));
  const [strideH, strideW] = pair(context.config.strides, 1);
  const [dilationH, dilationW] = pair(context.config.dilationRate, 1);
  const options: OpOptions = { kind: 'conv', padding: padding(context), strideH, strideW, dilationH, dilationW, activation: 'NONE', depthMultiplier: multiplier };
  const output = addOp(context, 'DEPTHWISE_CONV_2D', [inputs[0], filter, biasTensor], outputShape(context, inputs), options);
  return [applyActivation(context, output, context.config.activation)];
}

/** Dense: tfjs kernel [in, out] becomes the FULLY_CONNECTED filter [out, in]. */
function lowerDense(context: LayerContext, inputs: number[]): number[] {
  const inputShape = context.graph.tensors[inputs[0]].shape;
  if (inputShape.length !== 2) {
    throw unsupportedLayer(context.name, context.className, `has a rank-${inputShape.length} input; add Flatten before Dense`);
  }
  const [kernel, bias] = weightValues(context);
  const [inUnits, outUnits] = context.layer.getWeights()[0].shape;
  const filter = new Float32Array(kernel.length);
  for (let out = 0; out < outUnits; out++) {
    for (let inUnit = 0; inUnit < inUnits; inUnit++) filter[out * inUnits + inUnit] = kernel[inUnit * outUnits + out];
  }
  const filterTensor = addFloatConstant(context.graph, `${context.name}/filter`, [outUnits, inUnits], filter);
  // A Dense without bias still gets a zero bias tensor: Arm NN 22 and older runtimes reject an
  // omitted optional input (-1).
  const biasTensor = addFloatConstant(context.graph, `${context.name}/bias`, [outUnits], bias ?? new Float32Array(outUnits));
  const output = addOp(context, 'FULLY_CONNECTED', [inputs[0], filterTensor, biasTensor], [1, outUnits], { kind: 'activation', activation: 'NONE' });
  return [applyActivation(context, output, context.config.activation)];
}

/** BatchNormalization as per-channel scale and shift: y = x * gamma / sqrt(var + eps) + (beta - mean * that factor). */
function lowerBatchNormalization(context: LayerContext, inputs: number[]): number[] {
  // Keras writes the axis as a number or, in older files, as a one-element list.
  const rawAxis = context.config.axis;
  const axis = Array.isArray(rawAxis) && rawAxis.length === 1 ? Number(rawAxis[0]) : rawAxis;
  const rank = context.graph.tensors[inputs[0]].shape.length;
  if (axis !== -1 && axis !== rank - 1) throw unsupportedLayer(context.name, context.className, `normalizes axis ${JSON.stringify(rawAxis)}; only the channel axis maps to TFLite`);
  const weights = weightValues(context);
  const channels = weights[weights.length - 1].length;
  const gamma = context.config.scale === false ? new Float32Array(channels).fill(1) : weights.shift()!;
  const beta = context.config.center === false ? new Float32Array(channels) : weights.shift()!;
  const [movingMean, movingVariance] = weights;
  const epsilon = Number(context.config.epsilon ?? 1e-3);
  const scale = new Float32Array(channels);
  const shift = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    scale[c] = gamma[c] / Math.sqrt(movingVariance[c] + epsilon);
    shift[c] = beta[c] - movingMean[c] * scale[c];
  }
  const scaleTensor = addFloatConstant(context.graph, `${context.name}/scale`, [channels], scale);
  const shiftTensor = addFloatConstant(context.graph, `${context.name}/shift`, [channels], shift);
  const shape = context.graph.tensors[inputs[0]].shape;
  return [addOp(context, 'BATCH_NORM', [inputs[0], scaleTensor, shiftTensor], shape, { kind: 'batchNorm', epsilon })];
}

function lowerReLU(context: LayerContext, inputs: number[]): number[] {
  const maxValue = context.config.maxValue;
  const slope = Number(context.config.negativeSlope ?? 0);
  const threshold = Number(context.config.threshold ?? 0);
  if (slope !== 0 || threshold !== 0) throw unsupportedLayer(context.name, context.className, 'has a negative slope or threshold, which TFLite export does not support');
  let opcode: GraphOpcode;
  if (maxValue === null || maxValue === undefined) opcode = 'RELU';
  else if (Number(maxValue) === 6) opcode = 'RELU6';
  else throw unsupportedLayer(context.name, context.className, `caps at ${String(maxValue)}; TFLite has RELU and RELU6 only`);
  return [addOp(context, opcode, [inputs[0]], context.graph.tensors[inputs[0]].shape, { kind: 'none' })];
}

function lowerActivation(context: LayerContext, inputs: number[]): number[] {
  return [applyActivation(context, inputs[0], context.config.activation)];
}

function lowerSoftmax(context: LayerContext, inputs: number[]): number[] {
  const axis = context.config.axis;
  const rank = context.graph.tensors[inputs[0]].shape.length;
  if (axis !== undefined && axis !== -1 && axis !== rank - 1) throw unsupportedLayer(context.name, context.className, `normalizes axis ${String(axis)}; TFLite SOFTMAX works on the last axis`);
  return [addOp(context, 'SOFTMAX', [inputs[0]], context.graph.tensors[inputs[0]].shape, { kind: 'softmax', beta: 1 })];
}

/** ZeroPadding2D as PAD; the fusion pass turns it into SAME padding of the next convolution where they match. */
function lowerZeroPadding2D(context: LayerContext, inputs: number[]): number[] {
  requireChannelsLast(context);
  const raw = context.config.padding;
  let rows: [number, number];
  let cols: [number, number];
  if (Array.isArray(raw) && Array.isArray(raw[0])) {
    rows = pair(raw[0], 0);
    cols = pair(raw[1], 0);
  } else {
    const [h, w] = pair(raw, 1);
    rows = [h, h];
    cols = [w, w];
  }
  const paddings = addTensor(context.graph, { name: `${context.name}/paddings`, shape: [4, 2], dtype: 'int32', data: Int32Array.from([0, 0, ...rows, ...cols, 0, 0]) });
  return [addOp(context, 'PAD', [inputs[0], paddings], outputShape(context, inputs), { kind: 'none' })];
}

function lowerGlobalAveragePooling2D(context: LayerContext, inputs: number[]): number[] {
  requireChannelsLast(context);
  if (context.config.keepDims === true) throw unsupportedLayer(context.name, context.className, 'keeps dims, which TFLite export does not support');
  const axes = addInt32Constant(context.graph, `${context.name}/axes`, [1, 2]);
  const [, , , channels] = context.graph.tensors[inputs[0]].shape;
  return [addOp(context, 'MEAN', [inputs[0], axes], [1, channels], { kind: 'mean', keepDims: false })];
}

function lowerPooling(opcode: 'MAX_POOL_2D' | 'AVERAGE_POOL_2D'): LayerLowering {
  return (context, inputs) => {
    requireChannelsLast(context);
    const [filterH, filterW] = pair(context.config.poolSize, 2);
    const [strideH, strideW] = pair(context.config.strides ?? context.config.poolSize, 2);
    const options: OpOptions = { kind: 'pool', padding: padding(context), strideH, strideW, filterH, filterW, activation: 'NONE' };
    return [addOp(context, opcode, [inputs[0]], outputShape(context, inputs), options)];
  };
}

/** Flatten and Reshape as RESHAPE; NHWC order matches tfjs channelsLast, so values keep their order. */
function lowerReshape(context: LayerContext, inputs: number[]): number[] {
  const shape = outputShape(context, inputs);
  if (elementCount(shape) !== elementCount(context.graph.tensors[inputs[0]].shape)) {
    throw unsupportedLayer(context.name, context.className, `reshapes [${context.graph.tensors[inputs[0]].shape}] to [${shape}], which changes the element count`);
  }
  const newShape = addInt32Constant(context.graph, `${context.name}/shape`, shape);
  return [addOp(context, 'RESHAPE', [inputs[0], newShape], shape, { kind: 'reshape', newShape: shape })];
}

function lowerAdd(context: LayerContext, inputs: number[]): number[] {
  if (inputs.length < 2) throw unsupportedLayer(context.name, context.className, `has ${inputs.length} input`);
  const shape = outputShape(context, inputs);
  let sum = inputs[0];
  for (let i = 1; i < inputs.length; i++) {
    const suffix = i === inputs.length - 1 ? '' : `/partial_${i}`;
    sum = addOp(context, 'ADD', [sum, inputs[i]], shape, { kind: 'activation', activation: 'NONE' }, suffix);
  }
  return [sum];
}

/** Layers that only act during training pass their input through. */
function lowerIdentity(_context: LayerContext, inputs: number[]): number[] {
  return [inputs[0]];
}

/** Lowering for each supported Keras layer class. */
export const LAYER_LOWERINGS: Readonly<Record<string, LayerLowering>> = Object.freeze({
  Activation: lowerActivation,
  Add: lowerAdd,
  AveragePooling2D: lowerPooling('AVERAGE_POOL_2D'),
  BatchNormalization: lowerBatchNormalization,
  Conv2D: lowerConv2D,
  Dense: lowerDense,
  DepthwiseConv2D: lowerDepthwiseConv2D,
  Dropout: lowerIdentity,
  Flatten: lowerReshape,
  GaussianDropout: lowerIdentity,
  GaussianNoise: lowerIdentity,
  GlobalAveragePooling2D: lowerGlobalAveragePooling2D,
  MaxPooling2D: lowerPooling('MAX_POOL_2D'),
  ReLU: lowerReLU,
  Reshape: lowerReshape,
  Softmax: lowerSoftmax,
  SpatialDropout2D: lowerIdentity,
  ZeroPadding2D: lowerZeroPadding2D,
});
