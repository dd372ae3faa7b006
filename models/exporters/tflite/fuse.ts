// Fusion passes over the lowered float graph, in the order the official converter applies them:
// batch norm folded into the convolution before it, ReLU/ReLU6 fused into the op before it,
// and explicit zero padding merged into a VALID convolution where TFLite SAME padding matches.

import { addFloatConstant, addTensor, consumersOf, elementCount, hasSingleConsumer, producerOf, WEIGHTED_OPCODES, type Graph, type GraphOp } from './graph.js';

/** Filter axis that indexes output channels: OHWI and [out, in] lead with it, depthwise [1, H, W, C*M] ends with it. */
function outputChannelAxis(op: GraphOp): number {
  return op.opcode === 'DEPTHWISE_CONV_2D' ? 3 : 0;
}

function removeOp(graph: Graph, op: GraphOp): void {
  graph.ops.splice(graph.ops.indexOf(op), 1);
}

/**
 * Makes `producer` write the output tensor of `removed` (which reads the producer's output and
 * nothing else variable), then drops `removed`. The later tensor keeps its name and graph role.
 */
function bypass(graph: Graph, producer: GraphOp, removed: GraphOp): void {
  producer.outputs = [removed.outputs[0]];
  removeOp(graph, removed);
}

function foldBatchNorm(graph: Graph, batchNorm: GraphOp): boolean {
  const [input, scaleIndex, shiftIndex] = batchNorm.inputs;
  const producerIndex = producerOf(graph, input);
  if (producerIndex < 0 || !hasSingleConsumer(graph, input)) return false;
  const producer = graph.ops[producerIndex];
  if (!WEIGHTED_OPCODES.has(producer.opcode)) return false;
  if ('activation' in producer.options && producer.options.activation !== 'NONE') return false;

  const scale = graph.tensors[scaleIndex].data as Float32Array;
  const shift = graph.tensors[shiftIndex].data as Float32Array;
  const filter = graph.tensors[producer.inputs[1]];
  const weights = filter.data as Float32Array;
  const axis = outputChannelAxis(producer);
  const channels = filter.shape[axis];
  const innerSize = elementCount(filter.shape.slice(axis + 1));
  for (let i = 0; i < weights.length; i++) weights[i] *= scale[Math.floor(i / innerSize) % channels];

  if (producer.inputs[2] === undefined || producer.inputs[2] < 0) {
    producer.inputs[2] = addFloatConstant(graph, `${producer.layer}/bias`, [channels], new Float32Array(channels));
  }
  const bias = graph.tensors[producer.inputs[2]].data as Float32Array;
  for (let c = 0; c < channels; c++) bias[c] = bias[c] * scale[c] + shift[c];
  bypass(graph, producer, batchNorm);
  return true;
}

/** A batch norm that follows no foldable op becomes MUL by its scale and ADD of its shift. */
function expandBatchNorm(graph: Graph, batchNorm: GraphOp): void {
  const [input, scale, shift] = batchNorm.inputs;
  const output = batchNorm.outputs[0];
  const scaled = addTensor(graph, { name: `${batchNorm.layer}/scaled`, shape: [...graph.tensors[output].shape], dtype: 'float32' });
  const at = graph.ops.indexOf(batchNorm);
  graph.ops.splice(
    at,
    1,
    { opcode: 'MUL', inputs: [input, scale], outputs: [scaled], options: { kind: 'activation', activation: 'NONE' }, layer: batchNorm.layer },
    { opcode: 'ADD', inputs: [scaled, shift], outputs: [output], options: { kind: 'activation', activation: 'NONE' }, layer: batchNorm.layer },
  );
}

function fuseActivation(graph: Graph, activationOp: GraphOp): boolean {
  const input = activationOp.inputs[0];
  const producerIndex = producerOf(graph, input);
  if (producerIndex < 0 || !hasSingleConsumer(graph, input)) return false;
  const producer = graph.ops[producerIndex];
  if (producer.options.kind !== 'conv' && producer.options.kind !== 'pool' && producer.options.kind !== 'activation') return false;
  if (producer.options.activation !== 'NONE') return false;
  producer.options.activation = activationOp.opcode === 'RELU6' ? 'RELU6' : 'RELU';
  bypass(graph, producer, activationOp);
  return true;
}

/** TensorFlow SAME padding of one spatial axis: [before, after]. */
export function samePadding(inSize: number, kernel: number, stride: number, dilation: number): [number, number] {
  const outSize = Math.ceil(inSize / stride);
  const total = Math.max((outSize - 1) * stride + (kernel - 1) * dilation + 1 - inSize, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

function foldPadding(graph: Graph, pad: GraphOp): boolean {
  const padded = pad.outputs[0];
  if (!hasSingleConsumer(graph, padded)) return false;
  const conv = graph.ops[consumersOf(graph, padded)[0]];
  if (conv.options.kind !== 'conv' || conv.options.padding !== 'VALID' || conv.inputs[0] !== padded) return false;
  const paddings = graph.tensors[pad.inputs[1]].data as Int32Array;
  const [, inH, inW] = graph.tensors[pad.inputs[0]].shape;
  const [, kernelH, kernelW] = graph.tensors[conv.inputs[1]].shape;
  const expectedH = samePadding(inH, kernelH, conv.options.strideH, conv.options.dilationH);
  const expectedW = samePadding(inW, kernelW, conv.options.strideW, conv.options.dilationW);
  const matches =
    paddings[0] === 0 && paddings[1] === 0 && paddings[6] === 0 && paddings[7] === 0 &&
    paddings[2] === expectedH[0] && paddings[3] === expectedH[1] && paddings[4] === expectedW[0] && paddings[5] === expectedW[1];
  if (!matches) return false;
  conv.inputs[0] = pad.inputs[0];
  conv.options.padding = 'SAME';
  removeOp(graph, pad);
  return true;
}

/** Runs every pass over `graph` in place; tensors left unused are dropped by compactTensors. */
export function fuseGraph(graph: Graph): void {
  for (const op of graph.ops.filter((candidate) => candidate.opcode === 'BATCH_NORM')) {
    if (!foldBatchNorm(graph, op)) expandBatchNorm(graph, op);
  }
  for (const op of graph.ops.filter((candidate) => candidate.opcode === 'RELU' || candidate.opcode === 'RELU6')) fuseActivation(graph, op);
  for (const op of graph.ops.filter((candidate) => candidate.opcode === 'PAD')) foldPadding(graph, op);
}
