// Full-integer quantization of the float graph: int8 activations from calibrated ranges, int8
// weights symmetric per output channel, int32 biases, and optionally uint8 input and output
// through QUANTIZE ops, as the TFLite converter writes inference_input_type=uint8 models.

import { addTensor, cloneGraph, WEIGHTED_OPCODES, type Graph, type GraphOp, type GraphOpcode, type QuantParams } from './graph.js';
import type { TensorRange } from './calibrate.js';
import { activationParams, quantizeBias, quantizeValue, quantizeWeights, type QuantizedWeights } from './quant-params.js';

export type IntegerIo = 'int8' | 'uint8';

/** Output parameters TFLite's int8 kernels require, whatever the calibrated range. */
const FIXED_OUTPUT_PARAMS: Partial<Record<GraphOpcode, QuantParams>> = Object.freeze({
  SOFTMAX: { scale: [1 / 256], zeroPoint: [-128], quantizedDimension: 0 },
  LOGISTIC: { scale: [1 / 256], zeroPoint: [-128], quantizedDimension: 0 },
  TANH: { scale: [1 / 128], zeroPoint: [0], quantizedDimension: 0 },
});

/** Ops whose int8 kernels move values without rescaling, so the output reuses the input parameters. */
const SAME_PARAMS_AS_INPUT = new Set<GraphOpcode>(['RESHAPE', 'PAD', 'MAX_POOL_2D', 'AVERAGE_POOL_2D']);

/** Filter axis that indexes output channels: 0 in OHWI conv filters, 3 in depthwise [1, H, W, C*M]. */
const PER_CHANNEL_AXIS: Partial<Record<GraphOpcode, number>> = Object.freeze({ CONV_2D: 0, DEPTHWISE_CONV_2D: 3 });

export interface Int8Options {
  /** Range of the graph input; defaults to the calibrated one. */
  inputRange?: TensorRange;
  /** Type of the graph input and output: int8, or uint8 with the zero point moved by 128. */
  io: IntegerIo;
  /** int8 weights to use instead of nearest rounding, keyed by filter tensor index (compensatedWeights). */
  weights?: Map<number, QuantizedWeights>;
}

function quantizeWeightedOp(graph: Graph, op: GraphOp, precomputed: Map<number, QuantizedWeights> | undefined): void {
  const input = graph.tensors[op.inputs[0]];
  const filter = graph.tensors[op.inputs[1]];
  // NOTE: FULLY_CONNECTED weights stay per tensor: per-channel FULLY_CONNECTED needs newer
  // runtimes than the TFLite builds makers flash, and the TFLite spec defines it per tensor.
  const axis = PER_CHANNEL_AXIS[op.opcode];
  const weights = precomputed?.get(op.inputs[1]) ?? quantizeWeights(filter.data as Float32Array, filter.shape, axis ?? 0, axis !== undefined);
  Object.assign(filter, { dtype: 'int8', data: weights.values, quantization: weights.params });
  const biasIndex = op.inputs[2];
  if (biasIndex === undefined || biasIndex < 0) return;
  const bias = graph.tensors[biasIndex];
  const quantized = quantizeBias(bias.data as Float32Array, input.quantization!.scale[0], weights.params.scale);
  Object.assign(bias, { dtype: 'int32', data: quantized.values, quantization: quantized.params });
}

/** Returns an int8 copy of the float graph `floatGraph`; `ranges` come from calibrateRanges. */
export function quantizeInt8(floatGraph: Graph, ranges: Map<number, TensorRange>, options: Int8Options): Graph {
  const graph = cloneGraph(floatGraph);
  graph.tensors.forEach((tensor, index) => {
    if (tensor.data !== null) return;
    const range = index === graph.inputs[0] && options.inputRange ? options.inputRange : ranges.get(index);
    if (range === undefined) throw new Error(`quantizeInt8: no calibrated range for tensor ${tensor.name}`);
    tensor.dtype = 'int8';
    tensor.quantization = activationParams(range);
  });

  for (const op of graph.ops) {
    const output = graph.tensors[op.outputs[0]];
    const fixed = FIXED_OUTPUT_PARAMS[op.opcode];
    if (fixed) output.quantization = structuredClone(fixed);
    else if (SAME_PARAMS_AS_INPUT.has(op.opcode)) output.quantization = structuredClone(graph.tensors[op.inputs[0]].quantization);
  }

  for (const op of graph.ops) {
    if (WEIGHTED_OPCODES.has(op.opcode)) {
      quantizeWeightedOp(graph, op, options.weights);
      continue;
    }
    // Other float constants (the per-channel scale and shift of an unfolded batch norm) become
    // asymmetric int8 over their own range.
    for (const index of op.inputs) {
      const tensor = index >= 0 ? graph.tensors[index] : undefined;
      if (!tensor || tensor.dtype !== 'float32' || tensor.data === null) continue;
      const values = tensor.data as Float32Array;
      const params = activationParams({ min: Math.min(...values), max: Math.max(...values) });
      Object.assign(tensor, { dtype: 'int8', data: Int8Array.from(values, (value) => quantizeValue(value, params)), quantization: params });
    }
  }

  if (options.io === 'uint8') addUint8Io(graph);
  return graph;
}

function shiftedToUint8(params: QuantParams): QuantParams {
  return { ...params, scale: [...params.scale], zeroPoint: params.zeroPoint.map((zeroPoint) => zeroPoint + 128) };
}

/** Puts uint8 tensors in front of the int8 input and behind the int8 output, joined by QUANTIZE. */
function addUint8Io(graph: Graph): void {
  const int8Input = graph.inputs[0];
  const inputTensor = graph.tensors[int8Input];
  const uint8Input = addTensor(graph, { name: `${inputTensor.name}_uint8`, shape: [...inputTensor.shape], dtype: 'uint8', quantization: shiftedToUint8(inputTensor.quantization!) });
  graph.ops.unshift({ opcode: 'QUANTIZE', inputs: [uint8Input], outputs: [int8Input], options: { kind: 'none' }, layer: 'input' });
  graph.inputs = [uint8Input];

  graph.outputs = graph.outputs.map((int8Output) => {
    const outputTensor = graph.tensors[int8Output];
    const uint8Output = addTensor(graph, { name: `${outputTensor.name}_uint8`, shape: [...outputTensor.shape], dtype: 'uint8', quantization: shiftedToUint8(outputTensor.quantization!) });
    graph.ops.push({ opcode: 'QUANTIZE', inputs: [int8Output], outputs: [uint8Output], options: { kind: 'none' }, layer: 'output' });
    return uint8Output;
  });
}
