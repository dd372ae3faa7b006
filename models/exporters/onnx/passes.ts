// Inference-time simplifications of the intermediate graph, applied before emitting ONNX:
// BatchNormalization folded into the preceding Conv or Dense weights, and ZeroPadding2D folded into
// the pads of the Conv that reads it. Both are exact up to float32 rounding of the folded weights.

import type { ChannelAffineOp, ConvOp, DenseOp, Graph, Op, PadOp } from './ir.js';
import { opInputs } from './ir.js';

function countConsumers(graph: Graph): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (value: string) => counts.set(value, (counts.get(value) ?? 0) + 1);
  for (const op of graph.ops) opInputs(op).forEach(add);
  for (const output of graph.outputs) add(output.source);
  return counts;
}

/** Scales output channel o of a conv or dense op by scale[o] and adds shift[o] to its bias. */
function foldAffine(target: ConvOp | DenseOp, affine: ChannelAffineOp): void {
  const channels = affine.scale.length;
  if (target.type === 'conv') {
    const perChannel = target.filterOIHW.length / channels;
    for (let outChannel = 0; outChannel < channels; outChannel++) {
      for (let index = outChannel * perChannel; index < (outChannel + 1) * perChannel; index++) target.filterOIHW[index] *= affine.scale[outChannel];
    }
  } else {
    for (let row = 0; row < target.inputUnits; row++) {
      for (let unit = 0; unit < channels; unit++) target.kernel[row * channels + unit] *= affine.scale[unit];
    }
  }
  const bias = new Float32Array(channels);
  for (let channel = 0; channel < channels; channel++) bias[channel] = (target.bias?.[channel] ?? 0) * affine.scale[channel] + affine.shift[channel];
  target.bias = bias;
  target.output = affine.output;
}

function outputChannels(op: ConvOp | DenseOp): number {
  return op.type === 'conv' ? op.filterShape[0] : op.units;
}

/**
 * Folds every channel-affine op whose input comes from a conv or dense op that nothing else reads.
 * Returns a new op list; folded ops are removed and their targets get new weight arrays.
 */
export function foldBatchNormalization(graph: Graph): Graph {
  const consumers = countConsumers(graph);
  const producers = new Map<string, Op>();
  const removed = new Set<Op>();
  const ops = graph.ops.map((op) => (op.type === 'conv' ? { ...op, filterOIHW: op.filterOIHW.slice() } : op.type === 'dense' ? { ...op, kernel: op.kernel.slice() } : op));
  for (const op of ops) {
    if (op.type === 'channel-affine') {
      const producer = producers.get(op.input);
      if ((producer?.type === 'conv' || producer?.type === 'dense') && consumers.get(op.input) === 1 && outputChannels(producer) === op.scale.length) {
        foldAffine(producer, op);
        producers.set(op.output, producer);
        removed.add(op);
        continue;
      }
    }
    producers.set(op.output, op);
  }
  return { ...graph, ops: ops.filter((op) => !removed.has(op)) };
}

/** Folds zero padding into the explicit pads of a conv op that is its only reader. */
export function foldPadding(graph: Graph): Graph {
  const consumers = countConsumers(graph);
  const pads = new Map<string, PadOp>();
  const removed = new Set<Op>();
  const ops = graph.ops.map((op) => {
    if (op.type === 'pad') pads.set(op.output, op);
    if (op.type !== 'conv' || op.pads === 'same-upper') return op;
    const pad = pads.get(op.input);
    if (!pad || consumers.get(op.input) !== 1) return op;
    removed.add(pad);
    const combined = op.pads.map((value, index) => value + pad.pads[index]) as ConvOp['pads'];
    return { ...op, input: pad.input, pads: combined };
  });
  return { ...graph, ops: ops.filter((op) => !removed.has(op)) };
}

export function simplifyGraph(graph: Graph): Graph {
  return foldPadding(foldBatchNormalization(graph));
}

/**
 * Moves a relu or relu6 that directly follows a conv into the conv's `activation`, so that the int8
 * graph has the DequantizeLinear, Conv, QuantizeLinear pattern onnxruntime fuses into QLinearConv.
 */
export function fuseConvActivations(graph: Graph): Graph {
  const consumers = countConsumers(graph);
  const producers = new Map<string, Op>();
  const removed = new Set<Op>();
  const ops = graph.ops.map((op) => (op.type === 'conv' ? { ...op } : op));
  for (const op of ops) {
    if (op.type === 'activation' && (op.kind === 'relu' || op.kind === 'relu6')) {
      const producer = producers.get(op.input);
      if (producer?.type === 'conv' && producer.activation === undefined && consumers.get(op.input) === 1) {
        producer.activation = op.kind;
        producer.output = op.output;
        producers.set(op.output, producer);
        removed.add(op);
        continue;
      }
    }
    producers.set(op.output, op);
  }
  return { ...graph, ops: ops.filter((op) => !removed.has(op)) };
}
