// Frozen table of the int8 reference kernels by TFLite builtin operator name. The C generator
// compiles exactly the operators listed here.

import { Add } from './Add.js';
import { AveragePool } from './AveragePool.js';
import { Concatenation } from './Concatenation.js';
import { ConvPerChannel } from './ConvPerChannel.js';
import { DepthwiseConvPerChannel } from './DepthwiseConvPerChannel.js';
import { Dequantize } from './Dequantize.js';
import { FullyConnected } from './FullyConnected.js';
import type { ReferenceKernel } from './kernel.js';
import { MaxPool } from './MaxPool.js';
import { Mean } from './Mean.js';
import { Pad } from './Pad.js';
import { Quantize } from './Quantize.js';
import { Reshape } from './Reshape.js';
import { Softmax } from './Softmax.js';

export const REFERENCE_KERNELS: Readonly<Record<string, ReferenceKernel<never>>> = Object.freeze({
  ADD: Add,
  AVERAGE_POOL_2D: AveragePool,
  CONCATENATION: Concatenation,
  CONV_2D: ConvPerChannel,
  DEPTHWISE_CONV_2D: DepthwiseConvPerChannel,
  DEQUANTIZE: Dequantize,
  FULLY_CONNECTED: FullyConnected,
  MAX_POOL_2D: MaxPool,
  MEAN: Mean,
  PAD: Pad,
  PADV2: Pad,
  QUANTIZE: Quantize,
  RESHAPE: Reshape,
  SOFTMAX: Softmax,
} as Record<string, ReferenceKernel<unknown>>) as Readonly<Record<string, ReferenceKernel<never>>>;

export const SUPPORTED_OPERATORS: readonly string[] = Object.freeze(Object.keys(REFERENCE_KERNELS));
