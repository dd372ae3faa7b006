// The graph the TFLite exporter works on between lowering and writing: tensors and builtin ops in
// TFLite's own layouts (NHWC activations, OHWI conv filters, [out, in] fully connected weights),
// so the writer maps it to the flatbuffer one to one and the quantizer rewrites it in place.

import { EdgeTrainerError } from '../../errors.js';

export type TensorDtype = 'float32' | 'float16' | 'int8' | 'uint8' | 'int32';

/** Constant contents; float16 values are stored as their IEEE 754 half bit patterns. */
export type TensorData = Float32Array | Uint16Array | Int8Array | Uint8Array | Int32Array;

/** real = scale * (q - zeroPoint), per tensor (one entry) or per slice along `quantizedDimension`. */
export interface QuantParams {
  scale: number[];
  zeroPoint: number[];
  quantizedDimension: number;
}

export interface GraphTensor {
  name: string;
  shape: number[];
  dtype: TensorDtype;
  /** Constant contents, or null for the input and activations. */
  data: TensorData | null;
  quantization: QuantParams | null;
}

export type Activation = 'NONE' | 'RELU' | 'RELU6';
export type Padding = 'SAME' | 'VALID';

export interface ConvOptions {
  kind: 'conv';
  padding: Padding;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  activation: Activation;
  /** Channel multiplier of a depthwise convolution; 1 for CONV_2D. */
  depthMultiplier: number;
}

export interface PoolOptions {
  kind: 'pool';
  padding: Padding;
  strideH: number;
  strideW: number;
  filterH: number;
  filterW: number;
  activation: Activation;
}

export type OpOptions =
  | ConvOptions
  | PoolOptions
  | { kind: 'activation'; activation: Activation }
  | { kind: 'reshape'; newShape: number[] }
  | { kind: 'mean'; keepDims: boolean }
  | { kind: 'softmax'; beta: number }
  | { kind: 'batchNorm'; epsilon: number }
  | { kind: 'none' };

/**
 * Builtin ops the exporter writes, plus BATCH_NORM: a lowering-only op that the fusion pass folds
 * into the convolution before it or expands to MUL and ADD, so it never reaches the writer.
 */
export const GRAPH_OPCODES = [
  'ADD',
  'AVERAGE_POOL_2D',
  'CONV_2D',
  'DEPTHWISE_CONV_2D',
  'DEQUANTIZE',
  'FULLY_CONNECTED',
  'LOGISTIC',
  'MAX_POOL_2D',
  'MEAN',
  'MUL',
  'PAD',
  'QUANTIZE',
  'RELU',
  'RELU6',
  'RESHAPE',
  'SOFTMAX',
  'TANH',
  'BATCH_NORM',
] as const;

export type GraphOpcode = (typeof GRAPH_OPCODES)[number];

/** Ops with inputs [activation, filter, bias], the filter's first or last axis indexing output channels. */
export const WEIGHTED_OPCODES: ReadonlySet<GraphOpcode> = new Set<GraphOpcode>(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED']);

export interface GraphOp {
  opcode: GraphOpcode;
  /** Tensor indices; -1 marks an omitted optional input (a fully connected op without bias). */
  inputs: number[];
  outputs: number[];
  options: OpOptions;
  /** Name of the tfjs layer the op comes from, for reports and errors. */
  layer: string;
}

export interface Graph {
  tensors: GraphTensor[];
  ops: GraphOp[];
  inputs: number[];
  outputs: number[];
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

export function addTensor(graph: Graph, tensor: Omit<GraphTensor, 'data' | 'quantization'> & Partial<GraphTensor>): number {
  graph.tensors.push({ data: null, quantization: null, ...tensor });
  return graph.tensors.length - 1;
}

/** Adds a float32 constant and returns its index; `values` must hold elementCount(shape) numbers. */
export function addFloatConstant(graph: Graph, name: string, shape: number[], values: Float32Array): number {
  if (values.length !== elementCount(shape)) {
    throw new Error(`addFloatConstant: ${name} expected ${elementCount(shape)} values for shape [${shape}], got ${values.length}`);
  }
  return addTensor(graph, { name, shape, dtype: 'float32', data: values });
}

export function addInt32Constant(graph: Graph, name: string, values: number[]): number {
  return addTensor(graph, { name, shape: [values.length], dtype: 'int32', data: Int32Array.from(values) });
}

/** Indices of the ops that read `tensor`. */
export function consumersOf(graph: Graph, tensor: number): number[] {
  const found: number[] = [];
  graph.ops.forEach((op, index) => {
    if (op.inputs.includes(tensor)) found.push(index);
  });
  return found;
}

/** Index of the op that writes `tensor`, or -1 for the input and constants. */
export function producerOf(graph: Graph, tensor: number): number {
  return graph.ops.findIndex((op) => op.outputs.includes(tensor));
}

/** Whether anything besides one op reads `tensor`: another op or the graph outputs. */
export function hasSingleConsumer(graph: Graph, tensor: number): boolean {
  return consumersOf(graph, tensor).length === 1 && !graph.outputs.includes(tensor);
}

/** Replaces every read of `from` by `to`, in ops and in the graph outputs. */
export function replaceUses(graph: Graph, from: number, to: number): void {
  for (const op of graph.ops) op.inputs = op.inputs.map((index) => (index === from ? to : index));
  graph.outputs = graph.outputs.map((index) => (index === from ? to : index));
}

/** Drops tensors no op or graph input/output refers to and renumbers the rest. */
export function compactTensors(graph: Graph): void {
  const used = new Set<number>([...graph.inputs, ...graph.outputs]);
  for (const op of graph.ops) for (const index of [...op.inputs, ...op.outputs]) if (index >= 0) used.add(index);
  const remap = new Map<number, number>();
  const kept: GraphTensor[] = [];
  graph.tensors.forEach((tensor, index) => {
    if (used.has(index)) {
      remap.set(index, kept.length);
      kept.push(tensor);
    }
  });
  const map = (index: number): number => (index < 0 ? index : remap.get(index)!);
  graph.tensors = kept;
  graph.inputs = graph.inputs.map(map);
  graph.outputs = graph.outputs.map(map);
  for (const op of graph.ops) {
    op.inputs = op.inputs.map(map);
    op.outputs = op.outputs.map(map);
  }
}

/** Deep copy, with constant data copied too, so a variant pass never alters the float graph. */
export function cloneGraph(graph: Graph): Graph {
  return {
    tensors: graph.tensors.map((tensor) => ({
      ...tensor,
      shape: [...tensor.shape],
      data: tensor.data ? (tensor.data.slice() as TensorData) : null,
      quantization: tensor.quantization ? structuredClone(tensor.quantization) : null,
    })),
    ops: graph.ops.map((op) => ({ ...op, inputs: [...op.inputs], outputs: [...op.outputs], options: structuredClone(op.options) })),
    inputs: [...graph.inputs],
    outputs: [...graph.outputs],
  };
}

export function unsupportedLayer(layer: string, className: string, reason: string): EdgeTrainerError {
  return new EdgeTrainerError('unsupported', `TFLite export: layer "${layer}" (${className}) ${reason}.`, {
    hint: 'Export a model built from the supported layers (Conv2D, DepthwiseConv2D, BatchNormalization, ReLU, Dense, pooling, Flatten, Add, Softmax), or use the TF.js format.',
  });
}
