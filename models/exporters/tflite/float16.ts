// float16 variant: the weights of CONV_2D and FULLY_CONNECTED ops (nearly all the bytes) are stored
// as IEEE 754 half and expanded by DEQUANTIZE ops at the start of the graph, the layout the TFLite
// converter writes for float16 quantization. Activations and arithmetic stay float32.
// Unlike the converter, depthwise filters and biases stay float32: after batch-norm folding a
// depthwise channel has 9 large taps and no sum to average rounding out, and biases reach tens
// while outputs are small. On the digit classifiers in tests/exporters/tflite (30 held-out photos)
// halving everything moved output probabilities by up to 0.014 (224 RGB) and 0.017 (96 gray);
// keeping these float32 brought that to 0.007 and 0.003, for about 8% more bytes.

import { addTensor, cloneGraph, type Graph, type GraphOp, type GraphOpcode } from './graph.js';

const HALF_WEIGHT_OPCODES: ReadonlySet<GraphOpcode> = new Set<GraphOpcode>(['CONV_2D', 'FULLY_CONNECTED']);

const float32Scratch = new Float32Array(1);
const bitsScratch = new Uint32Array(float32Scratch.buffer);

/** Converts one float32 value to float16 bits with round-to-nearest-even, including subnormals, infinities and NaN. */
export function toFloat16Bits(value: number): number {
  float32Scratch[0] = value;
  const bits = bitsScratch[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - halfExponent;
    const halfway = 1 << (shift - 1);
    const remainder = mantissa & ((1 << shift) - 1);
    let half = mantissa >>> shift;
    if (remainder > halfway || (remainder === halfway && (half & 1) === 1)) half += 1;
    return sign | half;
  }
  const remainder = mantissa & 0x1fff;
  let half = (halfExponent << 10) | (mantissa >>> 13);
  // A carry out of the mantissa correctly rolls into the exponent (up to infinity).
  if (remainder > 0x1000 || (remainder === 0x1000 && (half & 1) === 1)) half += 1;
  return sign | half;
}

/** Returns a copy of the float32 graph `floatGraph` with half-precision convolution and fully connected weights. */
export function convertFloat16(floatGraph: Graph): Graph {
  const graph = cloneGraph(floatGraph);
  const dequantizeOps: GraphOp[] = [];
  const halfWeights = new Set(graph.ops.filter((op) => HALF_WEIGHT_OPCODES.has(op.opcode)).map((op) => op.inputs[1]));
  graph.tensors.forEach((tensor, index) => {
    if (tensor.dtype !== 'float32' || tensor.data === null || !halfWeights.has(index)) return;
    const values = tensor.data as Float32Array;
    const half = addTensor(graph, { name: `${tensor.name}_fp16`, shape: [...tensor.shape], dtype: 'float16', data: Uint16Array.from(values, toFloat16Bits) });
    // The float32 tensor stays, without data, as the DEQUANTIZE output the consumers already read.
    tensor.data = null;
    dequantizeOps.push({ opcode: 'DEQUANTIZE', inputs: [half], outputs: [index], options: { kind: 'none' }, layer: tensor.name });
  });
  graph.ops.unshift(...dequantizeOps);
  return graph;
}
