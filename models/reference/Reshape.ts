// RESHAPE: the output is the input's memory under a new shape, so the generated C emits no call
// and the memory planner gives both tensors the same arena offset.

import { preparedOp, type PreparedOp, type ReferenceKernel } from './kernel.js';
import { elementCount, tensorAt, unsupported, type PrepareContext, type TensorArray } from './tensors.js';

export interface ReshapeParams {
  elements: number;
}

function prepare(context: PrepareContext): PreparedOp<ReshapeParams> {
  const input = tensorAt(context, 0, 'input');
  const output = tensorAt(context, 0, 'output');
  if (input.type !== output.type) throw unsupported(context, `input type ${input.type} differs from output type ${output.type}`);
  if (input.data) throw unsupported(context, 'reshaping a constant is not supported');
  const elements = elementCount(input.shape);
  if (elements !== elementCount(output.shape)) throw unsupported(context, `input [${input.shape}] and output [${output.shape}] differ in size`);
  return preparedOp(context, { elements }, { inputs: [input.index], aliasesInput: true });
}

function evaluate(p: ReshapeParams, [input]: TensorArray[], [output]: TensorArray[]): void {
  if (output !== input) output.set(input.subarray(0, p.elements) as never);
}

export const Reshape: ReferenceKernel<ReshapeParams> = Object.freeze({ prepare, evaluate });
