// Writes the intermediate graph as an ONNX ModelProto (protobuf message types from onnx-proto).
// Layout: graph inputs and rank-4 outputs stay NHWC like the tfjs model, and one Transpose at each
// end converts to and from NCHW, the layout of ONNX Conv. Every op in between runs in NCHW, which is
// what onnxruntime's CPU kernels (and its NCHWc layout optimization) run fastest.

import onnxProto from 'onnx-proto';
import type { ActivationKind, Graph, GraphValue, Op } from './ir.js';

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

function bytesOf(values: Float32Array | BigInt64Array): Uint8Array {
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
}

class Emitter {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  /** ONNX tensor name of each intermediate value. */
  private readonly tensorOf = new Map<string, string>();
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

  bind(value: string, tensor: string, rank: number): void {
    this.tensorOf.set(value, tensor);
    this.rankOf.set(value, rank);
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

function emitOp(emitter: Emitter, op: Op): void {
  const output = emitter.unique(op.output);
  switch (op.type) {
    case 'conv': {
      const filter = emitter.floatInitializer(`${op.name}/filter`, op.filterOIHW, op.filterShape);
      const inputs = [emitter.tensor(op.input), filter];
      if (op.bias) inputs.push(emitter.floatInitializer(`${op.name}/bias`, op.bias, [op.bias.length]));
      const attributes: Record<string, Attribute> = {
        kernel_shape: op.filterShape.slice(2),
        strides: op.strides,
        dilations: op.dilations,
        group: op.group,
      };
      if (op.pads === 'same-upper') attributes.auto_pad = 'SAME_UPPER';
      else attributes.pads = [op.pads[0], op.pads[1], op.pads[2], op.pads[3]];
      emitter.node('Conv', op.name, inputs, [output], attributes);
      emitter.bind(op.output, output, 4);
      return;
    }
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
      emitter.bind(op.output, output, emitter.rank(op.input));
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
      emitter.bind(op.output, output, 2);
      return;
    }
    case 'dense': {
      const inputs = [emitter.tensor(op.input), emitter.floatInitializer(`${op.name}/kernel`, op.kernel, [op.inputUnits, op.units])];
      if (op.bias) inputs.push(emitter.floatInitializer(`${op.name}/bias`, op.bias, [op.bias.length]));
      emitter.node('Gemm', op.name, inputs, [output]);
      emitter.bind(op.output, output, 2);
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
export function emitOnnx(graph: Graph, options: EmitOptions): Uint8Array {
  const emitter = new Emitter();
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
      output: graph.outputs.map((output) => valueInfo(output, output.name)),
    },
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}
