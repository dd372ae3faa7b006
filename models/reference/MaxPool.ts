// MAX_POOL_2D int8: TFLite's reference_integer_ops::MaxPool over the window part inside the input.

import { clamp } from '../quantization/fixed-point.js';
import type { ReferenceKernel } from './kernel.js';
import { forEachPoolWindow, preparePool, type PoolParams } from './pooling.js';
import type { TensorArray } from './tensors.js';

function evaluate(p: PoolParams, [input]: TensorArray[], [output]: TensorArray[]): void {
  forEachPoolWindow(p, (outputIndex, inputIndices) => {
    let max = -128;
    for (const index of inputIndices) max = Math.max(max, input[index]);
    output[outputIndex] = clamp(max, p.activationMin, p.activationMax);
  });
}

export const MaxPool: ReferenceKernel<PoolParams> = Object.freeze({ prepare: preparePool, evaluate });
