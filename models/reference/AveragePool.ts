// AVERAGE_POOL_2D int8: TFLite's reference_integer_ops::AveragePool. The mean over the window part
// inside the input rounds half away from zero; input and output share scale and zero point.

import { clamp } from '../quantization/fixed-point.js';
import type { ReferenceKernel } from './kernel.js';
import { forEachPoolWindow, preparePool, type PoolParams } from './pooling.js';
import type { PrepareContext, TensorArray } from './tensors.js';

function evaluate(p: PoolParams, [input]: TensorArray[], [output]: TensorArray[]): void {
  forEachPoolWindow(p, (outputIndex, inputIndices) => {
    let acc = 0;
    for (const index of inputIndices) acc += input[index];
    const count = inputIndices.length;
    if (count === 0) throw new RangeError('AveragePool: a pooling window lies entirely outside the input');
    const half = Math.floor(count / 2);
    acc = acc > 0 ? Math.trunc((acc + half) / count) : Math.trunc((acc - half) / count);
    output[outputIndex] = clamp(acc, p.activationMin, p.activationMax);
  });
}

export const AveragePool: ReferenceKernel<PoolParams> = Object.freeze({ prepare: (context: PrepareContext) => preparePool(context, true), evaluate });
