// The intermediate graph between a tfjs layers model and ONNX. Ops keep Keras semantics: a rank-4
// value is [batch, height, width, channels] (NHWC) here, and only emit.ts decides how ONNX stores it.
// Weights are already in ONNX order, so the folding passes and the emitter share one layout.

/** Activations the exporter maps to ONNX operators. */
export type ActivationKind = 'relu' | 'relu6' | 'sigmoid' | 'tanh' | 'softmax' | 'elu' | 'selu' | 'softplus' | 'softsign' | 'swish';

export interface ConvOp {
  type: 'conv';
  name: string;
  input: string;
  output: string;
  /** Filter in ONNX order [outChannels, inChannels / group, filterHeight, filterWidth]. */
  filterOIHW: Float32Array;
  filterShape: [number, number, number, number];
  bias?: Float32Array;
  strides: [number, number];
  dilations: [number, number];
  /** Explicit zero padding [top, left, bottom, right], or 'same-upper' when the input size is unknown. */
  pads: [number, number, number, number] | 'same-upper';
  group: number;
  /** Activation fused into the conv for int8 export, where the output quantization range applies it. */
  activation?: 'relu' | 'relu6';
}

/** Per-channel affine y = x * scale + shift on the last (channel) axis: an inference-time BatchNormalization. */
export interface ChannelAffineOp {
  type: 'channel-affine';
  name: string;
  input: string;
  output: string;
  scale: Float32Array;
  shift: Float32Array;
}

export interface ActivationOp {
  type: 'activation';
  name: string;
  input: string;
  output: string;
  kind: ActivationKind;
}

/** Constant zero padding of the two spatial axes, [top, left, bottom, right]. */
export interface PadOp {
  type: 'pad';
  name: string;
  input: string;
  output: string;
  pads: [number, number, number, number];
}

export interface AddOp {
  type: 'add';
  name: string;
  inputs: string[];
  output: string;
}

/** Concatenation on the channel axis. */
export interface ConcatOp {
  type: 'concat';
  name: string;
  inputs: string[];
  output: string;
}

/** Global pooling over height and width; the output is [batch, channels]. */
export interface GlobalPoolOp {
  type: 'global-pool';
  name: string;
  input: string;
  output: string;
  mode: 'average' | 'max';
}

export interface PoolOp {
  type: 'pool';
  name: string;
  input: string;
  output: string;
  mode: 'average' | 'max';
  kernel: [number, number];
  strides: [number, number];
  pads: [number, number, number, number] | 'same-upper';
}

/** Keras Flatten: a rank-4 input is flattened in height, width, channel order. */
export interface FlattenOp {
  type: 'flatten';
  name: string;
  input: string;
  output: string;
}

/** Fully connected layer; the kernel keeps the Keras layout [inputUnits, units]. */
export interface DenseOp {
  type: 'dense';
  name: string;
  input: string;
  output: string;
  kernel: Float32Array;
  inputUnits: number;
  units: number;
  bias?: Float32Array;
}

export type Op = ConvOp | ChannelAffineOp | ActivationOp | PadOp | AddOp | ConcatOp | GlobalPoolOp | PoolOp | FlattenOp | DenseOp;

export interface GraphValue {
  name: string;
  /** Keras shape with null for unknown sizes, batch first. */
  shape: (number | null)[];
}

export interface GraphOutput extends GraphValue {
  /** Internal value the output copies; emit.ts gives it the public name. */
  source: string;
}

export interface Graph {
  inputs: GraphValue[];
  outputs: GraphOutput[];
  /** Ops in an order where every input is produced before it is read. */
  ops: Op[];
}

export function opInputs(op: Op): string[] {
  return 'inputs' in op ? op.inputs : [op.input];
}
