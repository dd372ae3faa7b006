// Dynamic-range variant: weights of convolutions and fully connected ops stored as int8
// (symmetric, per output channel for convolutions) while activations stay float32. TFLite runs
// these ops with its hybrid kernels, which quantize the activations on the fly.

import { cloneGraph, elementCount, type Graph, type GraphOpcode } from './graph.js';
import { quantizeWeights } from './quant-params.js';

/** Output-channel axis of each filter layout; FULLY_CONNECTED is per tensor, as the converter writes it. */
const HYBRID_WEIGHT_AXIS: Partial<Record<GraphOpcode, { axis: number; perChannel: boolean }>> = Object.freeze({
  CONV_2D: { axis: 0, perChannel: true },
  DEPTHWISE_CONV_2D: { axis: 3, perChannel: true },
  FULLY_CONNECTED: { axis: 0, perChannel: false },
});

/**
 * Weights with fewer elements stay float32, as in the TFLite converter (its default minimum
 * is 1024), because the hybrid kernel overhead outweighs the bytes saved.
 */
export const MIN_ELEMENTS_TO_QUANTIZE = 1024;

/** Returns a dynamic-range copy of the float32 graph `floatGraph`. */
export function quantizeDynamicRange(floatGraph: Graph): Graph {
  const graph = cloneGraph(floatGraph);
  for (const op of graph.ops) {
    const layout = HYBRID_WEIGHT_AXIS[op.opcode];
    if (!layout) continue;
    const filter = graph.tensors[op.inputs[1]];
    if (filter.data === null || elementCount(filter.shape) < MIN_ELEMENTS_TO_QUANTIZE) continue;
    const weights = quantizeWeights(filter.data as Float32Array, filter.shape, layout.axis, layout.perChannel);
    Object.assign(filter, { dtype: 'int8', data: weights.values, quantization: weights.params });
  }
  return graph;
}
