// Writes the intermediate graph as an ONNX ModelProto (protobuf message types from onnx-proto).
// Layout: graph inputs and rank-4 outputs stay NHWC like the tfjs model, and one Transpose at each
// end converts to and from NCHW, the layout of ONNX Conv. Every op in between runs in NCHW, which is
// what onnxruntime's CPU kernels (and its NCHWc layout optimization) run fastest.

import onnxProto from 'onnx-proto';
import type { ActivationKind, ConvOp, Graph, GraphValue, Op } from './ir.js';
import { type QuantizationParams, type ValueRange, activationParams, quantizeBias, quantizeFilterPerChannel } from './quantization.js';

const { onnx } = onnxProto;
type NodeProto = onnxProto.onnx.INodeProto;
type AttributeProto = onnxProto.onnx.IAttributeProto;
type TensorProto = onnxProto.onnx.ITensorProto;

/** ONNX IR version 8 (ONNX 1.10 to 1.12), the newest that Debian's python3-onnx 1.12 checker accepts. */
export const ONNX_IR_VERSION = 8;
/** Default-domain opset. Opset 13 gives Softmax its one-axis meaning and takes the Clip bounds as inputs. */
export const ONNX_OPSET = 13;

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];

/** Integer, integer list or string attribute; no exported op needs a float attribute. */
type Attribute = number | number[] | string;

function attribute(name: string, value: Attribute): AttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  return { name, type: AttributeType.INT, i: value };
}

function bytesOf(values: Float32Array | BigInt64Array | Int32Array | Int8Array | Uint8Array): Uint8Array {
  // NOTE: raw_data is little-endian by the ONNX spec; typed arrays use the host byte order, which is
  // little-endian on every platform Node.js ships for.
  return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
}

export interface EmitOptions {
  graphName: string;
  docString?: string;
  /** Key-value pairs stored in ModelProto.metadata_props (labels, input spec, ...). */
  metadata?: Record<string, string>;
  producerVersion: string;
  /** Calibrated range of each intermediate value; when given, the graph is int8 QDQ (quantize.ts). */
  ranges?: ReadonlyMap<string, ValueRange>;
  /** Adds every intermediate value as a graph output, named as in `valueTensors`, for calibration. */
  exposeValues?: boolean;
}

export interface EmittedModel {
  bytes: Uint8Array;
  /** ONNX tensor name of each intermediate value. */
  valueTensors: ReadonlyMap<string, string>;
}

class Emitter {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  /** ONNX tensor name of each intermediate value. */
  readonly tensorOf = new Map<string, string>();
  /** uint8 quantization of each value that went through QuantizeLinear and DequantizeLinear. */
  private readonly quantizationOf = new Map<string, QuantizationParams>();
  readonly ranges: ReadonlyMap<string, ValueRange> | undefined;

  constructor(ranges?: ReadonlyMap<string, ValueRange>) {
    this.ranges = ranges;
  }
  /** Rank of each intermediate value (4 is NCHW in ONNX). */
  private readonly rankOf = new Map<string, number>();
  private readonly usedNames = new Set<string>();
  private readonly constants = new Map<string, string>();

  unique(base: string): string {
    let name = base;
    for (let suffix = 1; this.usedNames.has(name); suffix++) name = `${base}_${suffix}`;
    this.usedNames.add(name);
    return name;
  }

  /**
   * Records the tensor of a value. In an int8 graph a value with a calibrated range goes through
   * QuantizeLinear and DequantizeLinear first, so its readers see the DequantizeLinear output.
   * `range` replaces the calibrated range (fused activations); `quantize` false keeps it float.
   */
  bind(value: string, tensor: string, rank: number, options: { quantize?: boolean; range?: ValueRange } = {}): void {
    this.rankOf.set(value, rank);
    const range = options.range ?? this.ranges?.get(value);
    if (this.ranges === undefined || range === undefined || options.quantize === false) {
      this.tensorOf.set(value, tensor);
      return;
    }
    const params = activationParams(range);
    const scale = this.floatInitializer(`${tensor}/scale`, Float32Array.of(params.scale), []);
    const zeroPoint = this.typedInitializer(`${tensor}/zero_point`, Uint8Array.of(params.zeroPoint), [], onnx.TensorProto.DataType.UINT8);
    const quantized = this.unique(`${tensor}:quantized`);
    const dequantized = this.unique(`${tensor}:dequantized`);
    this.node('QuantizeLinear', `${tensor}/quantize`, [tensor, scale, zeroPoint], [quantized]);
    this.node('DequantizeLinear', `${tensor}/dequantize`, [quantized, scale, zeroPoint], [dequantized]);
    this.tensorOf.set(value, dequantized);
    this.quantizationOf.set(value, params);
  }

  quantization(value: string): QuantizationParams | undefined {
    return this.quantizationOf.get(value);
  }

  tensor(value: string): string {
    const tensor = this.tensorOf.get(value);
    if (tensor === undefined) throw new Error(`ONNX emit: value ${value} is read before it is computed`);
    return tensor;
  }

  rank(value: string): number {
    return this.rankOf.get(value) ?? 0;
  }

  node(opType: string, name: string, inputs: string[], outputs: string[], attributes: Record<string, Attribute> = {}): void {
    this.nodes.push({
      opType,
      name: this.unique(name),
      input: inputs,
      output: outputs,
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
  }

  floatInitializer(name: string, values: Float32Array, dims: number[]): string {
    const tensorName = this.unique(name);
    this.initializers.push({ name: tensorName, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: bytesOf(values) });
    return tensorName;
  }

  typedInitializer(name: string, values: Int8Array | Uint8Array | Int32Array, dims: number[], dataType: number): string {
    const tensorName = this.unique(name);
    this.initializers.push({ name: tensorName, dims, dataType, rawData: bytesOf(values) });
    return tensorName;
  }

  /** Returns a DequantizeLinear output that restores an int8 or int32 per-channel (axis 0) initializer. */
  dequantizedInitializer(name: string, values: Int8Array | Int32Array, dims: number[], scales: Float32Array): string {
    const { DataType } = onnx.TensorProto;
    const isInt8 = values instanceof Int8Array;
    const quantized = this.typedInitializer(`${name}:quantized`, values, dims, isInt8 ? DataType.INT8 : DataType.INT32);
    const scale = this.floatInitializer(`${name}:scale`, scales, [scales.length]);
    const zeroPoint = isInt8
      ? this.typedInitializer(`${name}:zero_point`, new Int8Array(scales.length), [scales.length], DataType.INT8)
      : this.typedInitializer(`${name}:zero_point`, new Int32Array(scales.length), [scales.length], DataType.INT32);
    const output = this.unique(`${name}:dequantized`);
    this.node('DequantizeLinear', `${name}/dequantize`, [quantized, scale, zeroPoint], [output], { axis: 0 });
    return output;
  }

  int64Initializer(name: string, values: number[]): string {
    const tensorName = this.unique(name);
    this.initializers.push({ name: tensorName, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, rawData: bytesOf(BigInt64Array.from(values.map(BigInt))) });
    return tensorName;
  }

  /** Returns the name of a float scalar initializer, created once and shared (Clip bounds). */
  scalar(value: number): string {
    const key = String(value);
    let name = this.constants.get(key);
    if (name === undefined) {
      name = this.floatInitializer(`const_${key}`, Float32Array.of(value), []);
      this.constants.set(key, name);
    }
    return name;
  }
}

const SIMPLE_ACTIVATIONS: Readonly<Partial<Record<ActivationKind, string>>> = Object.freeze({
  relu: 'Relu',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  elu: 'Elu',
  selu: 'Selu',
  softplus: 'Softplus',
  softsign: 'Softsign',
});

function emitActivation(emitter: Emitter, op: Extract<Op, { type: 'activation' }>, input: string, output: string): void {
  const simple = SIMPLE_ACTIVATIONS[op.kind];
  if (simple !== undefined) {
    emitter.node(simple, op.name, [input], [output]);
  } else if (op.kind === 'relu6') {
    emitter.node('Clip', op.name, [input, emitter.scalar(0), emitter.scalar(6)], [output]);
  } else if (op.kind === 'softmax') {
    // Keras applies softmax on the last axis, which is the channel axis 1 of an NCHW value.
    emitter.node('Softmax', op.name, [input], [output], { axis: emitter.rank(op.input) === 4 ? 1 : -1 });
  } else if (op.kind === 'swish') {
    const sigmoid = emitter.unique(`${op.name}:sigmoid`);
    emitter.node('Sigmoid', `${op.name}/sigmoid`, [input], [sigmoid]);
    emitter.node('Mul', op.name, [input, sigmoid], [output]);
  }
}

/**
 * Output range of a conv with a fused activation: the calibrated range of the activation output,
 * capped at 6 for relu6. As in TFLite, values above the calibrated maximum saturate there.
 */
function fusedRange(emitter: Emitter, op: ConvOp): ValueRange | undefined {
  const range = emitter.ranges?.get(op.output);
  if (range === undefined || op.activation === undefined) return undefined;
  return { min: 0, max: op.activation === 'relu6' ? Math.min(range.max, 6) : range.max };
}

function emitConv(emitter: Emitter, op: ConvOp, output: string): void {
  const attributes: Record<string, Attribute> = {
    kernel_shape: op.filterShape.slice(2),
    strides: op.strides,
    dilations: op.dilations,
    group: op.group,
  };
  if (op.pads === 'same-upper') attributes.auto_pad = 'SAME_UPPER';
  else attributes.pads = [op.pads[0], op.pads[1], op.pads[2], op.pads[3]];

  const inputs = [emitter.tensor(op.input)];
  const inputQuantization = emitter.quantization(op.input);
  if (inputQuantization !== undefined) {
    const filter = quantizeFilterPerChannel(op.filterOIHW, op.filterShape[0]);
    inputs.push(emitter.dequantizedInitializer(`${op.name}/filter`, filter.values, op.filterShape, filter.scales));
    if (op.bias) {
      const bias = quantizeBias(op.bias, inputQuantization.scale, filter.scales);
      inputs.push(emitter.dequantizedInitializer(`${op.name}/bias`, bias.values, [op.bias.length], bias.scales));
    }
  } else {
    inputs.push(emitter.floatInitializer(`${op.name}/filter`, op.filterOIHW, op.filterShape));
    if (op.bias) inputs.push(emitter.floatInitializer(`${op.name}/bias`, op.bias, [op.bias.length]));
  }

  if (op.activation === undefined || emitter.ranges !== undefined) {
    // In an int8 graph the output quantization range applies a fused activation.
    emitter.node('Conv', op.name, inputs, [output], attributes);
    emitter.bind(op.output, output, 4, { range: fusedRange(emitter, op) });
    return;
  }
  const convOutput = emitter.unique(`${output}:linear`);
  emitter.node('Conv', op.name, inputs, [convOutput], attributes);
  if (op.activation === 'relu') emitter.node('Relu', `${op.name}/relu`, [convOutput], [output]);
  else emitter.node('Clip', `${op.name}/relu6`, [convOutput, emitter.scalar(0), emitter.scalar(6)], [output]);
  emitter.bind(op.output, output, 4);
}

function emitOp(emitter: Emitter, op: Op): void {
  const output = emitter.unique(op.output);
  switch (op.type) {
    case 'conv':
      emitConv(emitter, op, output);
      return;
    case 'channel-affine': {
      const rank = emitter.rank(op.input);
      const dims = rank === 4 ? [op.scale.length, 1, 1] : [op.scale.length];
      const scaled = emitter.unique(`${op.output}:scaled`);
      emitter.node('Mul', `${op.name}/scale`, [emitter.tensor(op.input), emitter.floatInitializer(`${op.name}/scale`, op.scale, dims)], [scaled]);
      emitter.node('Add', `${op.name}/shift`, [scaled, emitter.floatInitializer(`${op.name}/shift`, op.shift, dims)], [output]);
      emitter.bind(op.output, output, rank);
      return;
    }
    case 'activation':
      emitActivation(emitter, op, emitter.tensor(op.input), output);
      emitter.bind(op.output, output, emitter.rank(op.input), { quantize: op.kind !== 'softmax' });
      return;
    case 'pad': {
      const [top, left, bottom, right] = op.pads;
      const pads = emitter.int64Initializer(`${op.name}/pads`, [0, 0, top, left, 0, 0, bottom, right]);
      emitter.node('Pad', op.name, [emitter.tensor(op.input), pads], [output], { mode: 'constant' });
      emitter.bind(op.output, output, 4);
      return;
    }
    case 'add':
      emitter.node(op.inputs.length === 2 ? 'Add' : 'Sum', op.name, op.inputs.map((value) => emitter.tensor(value)), [output]);
      emitter.bind(op.output, output, emitter.rank(op.inputs[0]));
      return;
    case 'concat': {
      const rank = emitter.rank(op.inputs[0]);
      emitter.node('Concat', op.name, op.inputs.map((value) => emitter.tensor(value)), [output], { axis: rank === 4 ? 1 : rank - 1 });
      emitter.bind(op.output, output, rank);
      return;
    }
    case 'global-pool': {
      const pooled = emitter.unique(`${op.output}:nchw`);
      emitter.node(op.mode === 'average' ? 'GlobalAveragePool' : 'GlobalMaxPool', op.name, [emitter.tensor(op.input)], [pooled]);
      emitter.node('Flatten', `${op.name}/flatten`, [pooled], [output], { axis: 1 });
      emitter.bind(op.output, output, 2);
      return;
    }
    case 'pool': {
      const attributes: Record<string, Attribute> = { kernel_shape: op.kernel, strides: op.strides };
      if (op.pads === 'same-upper') attributes.auto_pad = 'SAME_UPPER';
      else attributes.pads = [op.pads[0], op.pads[1], op.pads[2], op.pads[3]];
      emitter.node(op.mode === 'average' ? 'AveragePool' : 'MaxPool', op.name, [emitter.tensor(op.input)], [output], attributes);
      emitter.bind(op.output, output, 4);
      return;
    }
    case 'flatten': {
      if (emitter.rank(op.input) === 4) {
        // Keras flattens in height, width, channel order, so the NCHW value goes back to NHWC first.
        const nhwc = emitter.unique(`${op.output}:nhwc`);
        emitter.node('Transpose', `${op.name}/to_nhwc`, [emitter.tensor(op.input)], [nhwc], { perm: NCHW_TO_NHWC });
        emitter.node('Flatten', op.name, [nhwc], [output], { axis: 1 });
      } else {
        emitter.node('Identity', op.name, [emitter.tensor(op.input)], [output]);
      }
      emitter.bind(op.output, output, 2, { quantize: false });
      return;
    }
    case 'dense': {
      const inputs = [emitter.tensor(op.input), emitter.floatInitializer(`${op.name}/kernel`, op.kernel, [op.inputUnits, op.units])];
      if (op.bias) inputs.push(emitter.floatInitializer(`${op.name}/bias`, op.bias, [op.bias.length]));
      // NOTE: Dense stays float32 in int8 graphs: the head is small and keeps the probabilities exact.
      emitter.node('Gemm', op.name, inputs, [output]);
      emitter.bind(op.output, output, 2, { quantize: false });
      return;
    }
  }
}

function valueInfo(value: GraphValue, name: string): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: value.shape.map((size, axis) => (size === null ? { dimParam: axis === 0 ? 'batch' : `dim${axis}` } : { dimValue: size })) },
      },
    },
  };
}

/** Emits the graph as an encoded ONNX model. */
export function emitOnnx(graph: Graph, options: EmitOptions): EmittedModel {
  const emitter = new Emitter(options.ranges);
  for (const input of graph.inputs) emitter.unique(input.name);
  for (const output of graph.outputs) emitter.unique(output.name);

  for (const input of graph.inputs) {
    if (input.shape.length === 4) {
      const nchw = emitter.unique(`${input.name}:nchw`);
      emitter.node('Transpose', `${input.name}/to_nchw`, [input.name], [nchw], { perm: NHWC_TO_NCHW });
      emitter.bind(input.name, nchw, 4);
    } else {
      emitter.bind(input.name, input.name, input.shape.length);
    }
  }
  for (const op of graph.ops) emitOp(emitter, op);
  for (const output of graph.outputs) {
    const source = emitter.tensor(output.source);
    if (emitter.rank(output.source) === 4) emitter.node('Transpose', `${output.name}/to_nhwc`, [source], [output.name], { perm: NCHW_TO_NHWC });
    else emitter.node('Identity', `${output.name}/identity`, [source], [output.name]);
  }
  const graphInputs = new Set(graph.inputs.map((input) => input.name));
  const exposed = options.exposeValues ? [...new Set(emitter.tensorOf.values())].filter((tensor) => !graphInputs.has(tensor)) : [];

  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'edge-trainer',
    producerVersion: options.producerVersion,
    docString: options.docString,
    graph: {
      name: options.graphName,
      node: emitter.nodes,
      initializer: emitter.initializers,
      input: graph.inputs.map((input) => valueInfo(input, input.name)),
      output: [
        ...graph.outputs.map((output) => valueInfo(output, output.name)),
        ...exposed.map((name) => ({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } })),
      ],
    },
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
  });
  return { bytes: onnx.ModelProto.encode(model).finish(), valueTensors: emitter.tensorOf };
}
