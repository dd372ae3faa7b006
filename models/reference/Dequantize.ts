// DEQUANTIZE int8/uint8 -> float32: TFLite's reference_ops::Dequantize,
// (float)((double)scale * (q - zeroPoint)).

import { preparedOp, type PreparedOp, type ReferenceKernel } from './kernel.js';
import { elementCount, expectType, scalarQuantization, tensorAt, type PrepareContext, type TensorArray } from './tensors.js';

export interface DequantizeParams {
  elements: number;
  scale: number;
  zeroPoint: number;
}

function prepare(context: PrepareContext): PreparedOp<DequantizeParams> {
  const input = tensorAt(context, 0, 'input');
  const output = tensorAt(context, 0, 'output');
  expectType(context, input, ['INT8', 'UINT8']);
  expectType(context, output, ['FLOAT32']);
  const { scale, zeroPoint } = scalarQuantization(context, input);
  return preparedOp(context, { elements: elementCount(input.shape), scale, zeroPoint }, { inputs: [input.index] });
}

function evaluate(p: DequantizeParams, [input]: TensorArray[], [output]: TensorArray[]): void {
  for (let i = 0; i < p.elements; i++) output[i] = Math.fround(p.scale * (input[i] - p.zeroPoint));
}

export const Dequantize: ReferenceKernel<DequantizeParams> = Object.freeze({ prepare, evaluate });
