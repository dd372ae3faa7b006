// The TFLite variants Edge Trainer writes, as one frozen table: how each is built from the float
// graph and whether it needs calibration samples.

import type { TensorRange } from './calibrate.js';
import { convertFloat16 } from './float16.js';
import { quantizeDynamicRange } from './dynamic.js';
import type { Graph } from './graph.js';
import { quantizeInt8 } from './int8.js';
import type { QuantizedWeights } from './quant-params.js';

export interface VariantInfo {
  id: string;
  description: string;
  /** Whether the build needs activation ranges from calibrateRanges. */
  needsCalibration: boolean;
  /** Whether the result must pass the strict integer check. */
  integerOnly: boolean;
  build(floatGraph: Graph, ranges: Map<number, TensorRange> | null, inputRange: TensorRange, weights?: Map<number, QuantizedWeights>): Graph;
}

export const TFLITE_VARIANTS = Object.freeze({
  float32: Object.freeze<VariantInfo>({
    id: 'float32',
    description: 'float32 weights and activations; matches the trained model',
    needsCalibration: false,
    integerOnly: false,
    build: (graph) => graph,
  }),
  float16: Object.freeze<VariantInfo>({
    id: 'float16',
    description: 'float16 convolution and fully connected weights expanded by DEQUANTIZE, float32 activations; about half the size',
    needsCalibration: false,
    integerOnly: false,
    build: (graph) => convertFloat16(graph),
  }),
  dynamic: Object.freeze<VariantInfo>({
    id: 'dynamic',
    description: 'int8 weights, float32 activations (dynamic-range quantization); about a third of the size',
    needsCalibration: false,
    integerOnly: false,
    build: (graph) => quantizeDynamicRange(graph),
  }),
  int8: Object.freeze<VariantInfo>({
    id: 'int8',
    description: 'full integer: int8 weights, activations, input and output (microcontrollers, NPUs)',
    needsCalibration: true,
    integerOnly: true,
    build: (graph, ranges, inputRange, weights) => quantizeInt8(graph, ranges!, { io: 'int8', inputRange, weights }),
  }),
  uint8: Object.freeze<VariantInfo>({
    id: 'uint8',
    description: 'full integer with uint8 input and output (for runtimes that feed raw pixels)',
    needsCalibration: true,
    integerOnly: true,
    build: (graph, ranges, inputRange, weights) => quantizeInt8(graph, ranges!, { io: 'uint8', inputRange, weights }),
  }),
});

export type TfliteVariant = keyof typeof TFLITE_VARIANTS;

export function isTfliteVariant(value: string): value is TfliteVariant {
  return Object.hasOwn(TFLITE_VARIANTS, value);
}
