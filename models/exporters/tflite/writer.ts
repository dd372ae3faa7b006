// Serializes an exporter graph as a TFLite schema v3 flatbuffer with the generated bindings.
// The file has one subgraph, an empty buffer 0 and one buffer per constant, 16-byte aligned as the
// official converter aligns them. Operator codes set both the byte and the int32 builtin code.

import * as flatbuffers from 'flatbuffers';
import {
  ActivationFunctionType,
  AddOptionsT,
  Buffer as TfliteBuffer,
  BuiltinOperator,
  BuiltinOptions,
  Conv2DOptionsT,
  DepthwiseConv2DOptionsT,
  DequantizeOptionsT,
  FullyConnectedOptionsT,
  MetadataT,
  Model,
  MulOptionsT,
  Operator,
  OperatorCodeT,
  OperatorT,
  PadOptionsT,
  Padding,
  Pool2DOptionsT,
  QuantizationParametersT,
  QuantizeOptionsT,
  ReducerOptionsT,
  ReshapeOptionsT,
  SoftmaxOptionsT,
  SubGraphT,
  TensorT,
  TensorType,
} from '../../tflite/schema/gen/tflite_generated.js';
import type { Graph, GraphOp, GraphTensor, TensorDtype } from './graph.js';

export const TFLITE_SCHEMA_VERSION = 3;

/** Largest builtin code that also fits the deprecated int8 field; later ops store 127 there. */
const PLACEHOLDER_FOR_GREATER_OP_CODES = 127;

const BUFFER_ALIGNMENT = 16;

const TENSOR_TYPES: Readonly<Record<TensorDtype, TensorType>> = Object.freeze({
  float32: TensorType.FLOAT32,
  float16: TensorType.FLOAT16,
  int8: TensorType.INT8,
  uint8: TensorType.UINT8,
  int32: TensorType.INT32,
});

const ACTIVATIONS = Object.freeze({ NONE: ActivationFunctionType.NONE, RELU: ActivationFunctionType.RELU, RELU6: ActivationFunctionType.RELU6 });

type BuiltinOptionsValue = NonNullable<OperatorT['builtinOptions']>;
type OptionsWriter = (op: GraphOp) => [BuiltinOptions, BuiltinOptionsValue | null];

function activationOf(op: GraphOp): ActivationFunctionType {
  return 'activation' in op.options ? ACTIVATIONS[op.options.activation] : ActivationFunctionType.NONE;
}

function convOptions(op: GraphOp): [BuiltinOptions, BuiltinOptionsValue] {
  if (op.options.kind !== 'conv') throw new Error(`writer: ${op.opcode} of ${op.layer} needs conv options, got ${op.options.kind}`);
  const { padding, strideH, strideW, dilationH, dilationW, activation, depthMultiplier } = op.options;
  const tflitePadding = padding === 'SAME' ? Padding.SAME : Padding.VALID;
  if (op.opcode === 'DEPTHWISE_CONV_2D') {
    return [BuiltinOptions.DepthwiseConv2DOptions, new DepthwiseConv2DOptionsT(tflitePadding, strideW, strideH, depthMultiplier, ACTIVATIONS[activation], dilationW, dilationH)];
  }
  return [BuiltinOptions.Conv2DOptions, new Conv2DOptionsT(tflitePadding, strideW, strideH, ACTIVATIONS[activation], dilationW, dilationH)];
}

function poolOptions(op: GraphOp): [BuiltinOptions, BuiltinOptionsValue] {
  if (op.options.kind !== 'pool') throw new Error(`writer: ${op.opcode} of ${op.layer} needs pool options, got ${op.options.kind}`);
  const { padding, strideH, strideW, filterH, filterW, activation } = op.options;
  return [BuiltinOptions.Pool2DOptions, new Pool2DOptionsT(padding === 'SAME' ? Padding.SAME : Padding.VALID, strideW, strideH, filterW, filterH, ACTIVATIONS[activation])];
}

const NO_OPTIONS: OptionsWriter = () => [BuiltinOptions.NONE, null];

/** Builtin options of each op the writer emits. */
const OPTION_WRITERS: Readonly<Record<string, OptionsWriter>> = Object.freeze<Record<string, OptionsWriter>>({
  ADD: (op: GraphOp) => [BuiltinOptions.AddOptions, new AddOptionsT(activationOf(op))],
  AVERAGE_POOL_2D: poolOptions,
  CONV_2D: convOptions,
  DEPTHWISE_CONV_2D: convOptions,
  DEQUANTIZE: () => [BuiltinOptions.DequantizeOptions, new DequantizeOptionsT()],
  FULLY_CONNECTED: (op: GraphOp) => [BuiltinOptions.FullyConnectedOptions, new FullyConnectedOptionsT(activationOf(op))],
  LOGISTIC: NO_OPTIONS,
  MAX_POOL_2D: poolOptions,
  MEAN: (op: GraphOp) => [BuiltinOptions.ReducerOptions, new ReducerOptionsT(op.options.kind === 'mean' && op.options.keepDims)],
  MUL: (op: GraphOp) => [BuiltinOptions.MulOptions, new MulOptionsT(activationOf(op))],
  PAD: () => [BuiltinOptions.PadOptions, new PadOptionsT()],
  QUANTIZE: () => [BuiltinOptions.QuantizeOptions, new QuantizeOptionsT()],
  RELU: NO_OPTIONS,
  RELU6: NO_OPTIONS,
  RESHAPE: (op: GraphOp) => [BuiltinOptions.ReshapeOptions, new ReshapeOptionsT(op.options.kind === 'reshape' ? op.options.newShape : [])],
  SOFTMAX: (op: GraphOp) => [BuiltinOptions.SoftmaxOptions, new SoftmaxOptionsT(op.options.kind === 'softmax' ? op.options.beta : 1)],
  TANH: NO_OPTIONS,
});

function isInteger(dtype: TensorDtype | undefined): boolean {
  return dtype === 'int8' || dtype === 'uint8';
}

/**
 * Returns the op version the TFLite converter assigns from the tensor types: 1 for float and 2 for
 * int8 in most ops, 3 for per-channel int8 convolutions and 4 for int8 FULLY_CONNECTED. Hybrid
 * kernels (int8 weights, float activations) get 2 to 6 and float16 DEQUANTIZE 3. Runtimes reject
 * versions they lack.
 */
export function opVersion(graph: Graph, op: GraphOp): number {
  const input = graph.tensors[op.inputs[0]]?.dtype;
  const weights = op.inputs[1] >= 0 ? graph.tensors[op.inputs[1]] : undefined;
  const hybrid = input === 'float32' && weights?.dtype === 'int8';
  const perChannel = (weights?.quantization?.scale.length ?? 0) > 1;
  switch (op.opcode) {
    case 'CONV_2D':
      if (isInteger(input)) return 3;
      if (hybrid) return perChannel ? 5 : 2;
      return op.options.kind === 'conv' && (op.options.dilationH > 1 || op.options.dilationW > 1) ? 2 : 1;
    case 'DEPTHWISE_CONV_2D':
      if (isInteger(input)) return 3;
      if (hybrid) return perChannel ? 6 : 4;
      return op.options.kind === 'conv' && (op.options.dilationH > 1 || op.options.dilationW > 1) ? 2 : 1;
    case 'FULLY_CONNECTED':
      if (isInteger(input)) return 4;
      return hybrid ? 3 : 1;
    case 'DEQUANTIZE':
      return input === 'float16' ? 3 : 2;
    case 'QUANTIZE':
    case 'RESHAPE':
      return 1;
    default:
      return isInteger(input) ? 2 : 1;
  }
}

/**
 * An OperatorT that packs only the fields a builtin op uses. The generated pack() also writes empty
 * custom_options, mutating_variable_inputs and intermediates vectors, and TFLite Micro rejects a
 * builtin op that has custom_options, even empty ones.
 */
class BuiltinOperatorT extends OperatorT {
  override pack(builder: flatbuffers.Builder): flatbuffers.Offset {
    const inputs = Operator.createInputsVector(builder, this.inputs);
    const outputs = Operator.createOutputsVector(builder, this.outputs);
    const options = builder.createObjectOffset(this.builtinOptions);
    Operator.startOperator(builder);
    Operator.addOpcodeIndex(builder, this.opcodeIndex);
    Operator.addInputs(builder, inputs);
    Operator.addOutputs(builder, outputs);
    Operator.addBuiltinOptionsType(builder, this.builtinOptionsType);
    if (options !== 0) Operator.addBuiltinOptions(builder, options);
    return Operator.endOperator(builder);
  }
}

function tensorT(tensor: GraphTensor, buffer: number): TensorT {
  const q = tensor.quantization;
  const quantization = q ? new QuantizationParametersT([], [], q.scale, q.zeroPoint.map((z) => BigInt(z)), undefined, undefined, q.quantizedDimension) : null;
  return new TensorT(tensor.shape, TENSOR_TYPES[tensor.dtype], buffer, tensor.name, quantization);
}

function bytesOf(data: NonNullable<GraphTensor['data']>): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Writes a [ubyte] vector whose first byte lands on a BUFFER_ALIGNMENT boundary of the file. */
function createAlignedByteVector(builder: flatbuffers.Builder, bytes: Uint8Array): flatbuffers.Offset {
  builder.startVector(1, bytes.length, BUFFER_ALIGNMENT);
  for (let i = bytes.length - 1; i >= 0; i--) builder.addInt8(bytes[i]);
  return builder.endVector();
}

export interface WriteOptions {
  /** Stored in the model's description field. */
  description?: string;
  /** Extra metadata entries stored as UTF-8 buffers (for example min_runtime_version). */
  metadata?: Record<string, string>;
}

/** Serializes `graph` and returns the .tflite bytes. */
export function writeTflite(graph: Graph, options: WriteOptions = {}): Uint8Array {
  const opcodeIndex = new Map<string, number>();
  const operatorCodes: OperatorCodeT[] = [];
  const operators: OperatorT[] = graph.ops.map((op) => {
    const writeOptions = OPTION_WRITERS[op.opcode];
    if (writeOptions === undefined) throw new Error(`writer: no TFLite builtin for ${op.opcode} of ${op.layer}`);
    const version = opVersion(graph, op);
    const key = `${op.opcode}/${version}`;
    if (!opcodeIndex.has(key)) {
      const code = BuiltinOperator[op.opcode as keyof typeof BuiltinOperator];
      opcodeIndex.set(key, operatorCodes.length);
      operatorCodes.push(new OperatorCodeT(Math.min(code, PLACEHOLDER_FOR_GREATER_OP_CODES), null, version, code));
    }
    const [optionsType, builtinOptions] = writeOptions(op);
    return new BuiltinOperatorT(opcodeIndex.get(key)!, op.inputs, op.outputs, optionsType, builtinOptions);
  });

  // Buffer 0 is the empty buffer that every non-constant tensor points at.
  const bufferContents: (Uint8Array | null)[] = [null];
  const tensors = graph.tensors.map((tensor) => {
    if (tensor.data === null) return tensorT(tensor, 0);
    bufferContents.push(bytesOf(tensor.data));
    return tensorT(tensor, bufferContents.length - 1);
  });
  const metadata: MetadataT[] = [];
  for (const [name, value] of Object.entries(options.metadata ?? {})) {
    bufferContents.push(new TextEncoder().encode(value));
    metadata.push(new MetadataT(name, bufferContents.length - 1));
  }

  const builder = new flatbuffers.Builder(1024 + bufferContents.reduce((sum, bytes) => sum + (bytes?.length ?? 0) + BUFFER_ALIGNMENT, 0));
  const bufferOffsets = bufferContents.map((bytes) => {
    const data = bytes && bytes.length > 0 ? createAlignedByteVector(builder, bytes) : 0;
    TfliteBuffer.startBuffer(builder);
    if (data) TfliteBuffer.addData(builder, data);
    return TfliteBuffer.endBuffer(builder);
  });
  const subgraph = new SubGraphT(tensors, graph.inputs, graph.outputs, operators, 'main').pack(builder);
  const subgraphs = Model.createSubgraphsVector(builder, [subgraph]);
  const codes = Model.createOperatorCodesVector(builder, operatorCodes.map((code) => code.pack(builder)));
  const buffers = Model.createBuffersVector(builder, bufferOffsets);
  const metadataVector = Model.createMetadataVector(builder, metadata.map((entry) => entry.pack(builder)));
  const description = builder.createString(options.description ?? 'Edge Trainer');

  Model.startModel(builder);
  Model.addVersion(builder, TFLITE_SCHEMA_VERSION);
  Model.addOperatorCodes(builder, codes);
  Model.addSubgraphs(builder, subgraphs);
  Model.addDescription(builder, description);
  Model.addBuffers(builder, buffers);
  if (metadata.length > 0) Model.addMetadata(builder, metadataVector);
  builder.finish(Model.endModel(builder), 'TFL3');
  return builder.asUint8Array().slice();
}
