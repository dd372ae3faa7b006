// CONCATENATION of int8/uint8 tensors along one axis: TFLite's reference_ops::Concatenation. As in
// TFLite Micro, every input must share the output's scale and zero point, so it is a pure copy.

import { preparedOp, type PreparedOp, type ReferenceKernel } from './kernel.js';
import { elementCount, expectType, scalarQuantization, tensorAt, unsupported, type PrepareContext, type TensorArray } from './tensors.js';

export interface ConcatenationParams {
  /** Product of the dimensions before the axis. */
  outerSize: number;
  /** Elements each input contributes per outer step (its axis size times the inner dimensions). */
  copySizes: number[];
}

function prepare(context: PrepareContext): PreparedOp<ConcatenationParams> {
  const output = tensorAt(context, 0, 'output');
  expectType(context, output, ['INT8', 'UINT8']);
  const rank = output.shape.length;
  const rawAxis = Number((context.op.options as Record<string, number>).axis ?? 0);
  const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
  if (axis < 0 || axis >= rank) throw unsupported(context, `axis ${rawAxis} is outside a ${rank}-D output`);
  if (Number((context.op.options as Record<string, number>).fusedActivationFunction ?? 0) !== 0) {
    throw unsupported(context, 'a fused activation on CONCATENATION is not supported');
  }
  const outputQuantization = scalarQuantization(context, output);
  const inputs = context.op.inputs.map((_, position) => tensorAt(context, position, 'input'));
  const copySizes = inputs.map((input) => {
    expectType(context, input, [output.type]);
    if (input.data) throw unsupported(context, 'a constant input to CONCATENATION is not supported');
    const q = scalarQuantization(context, input);
    if (q.scale !== outputQuantization.scale || q.zeroPoint !== outputQuantization.zeroPoint) {
      throw unsupported(context, `input "${input.name}" is quantized differently from the output`);
    }
    return elementCount(input.shape.slice(axis));
  });
  const outerSize = elementCount(output.shape.slice(0, axis));
  return preparedOp(context, { outerSize, copySizes }, { inputs: inputs.map((input) => input.index) });
}

function evaluate(p: ConcatenationParams, inputs: TensorArray[], [output]: TensorArray[]): void {
  let outputIndex = 0;
  for (let outer = 0; outer < p.outerSize; outer++) {
    inputs.forEach((input, i) => {
      const size = p.copySizes[i];
      for (let k = 0; k < size; k++) output[outputIndex++] = input[outer * size + k];
    });
  }
}

export const Concatenation: ReferenceKernel<ConcatenationParams> = Object.freeze({ prepare, evaluate });
