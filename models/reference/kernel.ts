// Contract between the int8 reference kernels, the TS graph runner and the C generator. Prepare
// reads one operator at export time and returns integer-only parameters. Evaluate computes with
// them exactly as the generated C kernel of the same name does.

import type { PrepareContext, TensorArray } from './tensors.js';

export interface PreparedOp<P> {
  opcode: string;
  /** Operator index in the subgraph. */
  index: number;
  params: P;
  /** Non-constant tensors the kernel reads, in the order evaluate() receives them. */
  inputs: number[];
  outputs: number[];
  /** Multiply-accumulate operations per inference. */
  macs: number;
  /** Largest |int32 accumulator| the op can reach, for the comment in the generated C; null if none. */
  accumulatorBound: string | null;
  /** True when the output shares the input's memory (RESHAPE). */
  aliasesInput: boolean;
}

export interface ReferenceKernel<P> {
  prepare(context: PrepareContext): PreparedOp<P>;
  evaluate(params: P, inputs: TensorArray[], outputs: TensorArray[]): void;
}

/** Returns a PreparedOp for `context` with the defaults of an ordinary op. */
export function preparedOp<P>(
  context: PrepareContext,
  params: P,
  details: { inputs: number[]; macs?: number; accumulatorBound?: string | null; aliasesInput?: boolean },
): PreparedOp<P> {
  return {
    opcode: context.op.opcode,
    index: context.op.index,
    params,
    inputs: details.inputs,
    outputs: [...context.op.outputs],
    macs: details.macs ?? 0,
    accumulatorBound: details.accumulatorBound ?? null,
    aliasesInput: details.aliasesInput ?? false,
  };
}

/** Formats an accumulator bound with its headroom against int32. */
export function describeAccumulatorBound(bound: number): string {
  const bits = Math.ceil(Math.log2(bound + 1)) + 1;
  return `|acc| <= ${bound} (${bits} bits with sign, int32 has 32)`;
}
