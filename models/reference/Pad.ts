// PAD and PADV2 for int8/uint8 tensors up to 4-D: copies the input into the output and fills the
// border with the output zero point (PAD) or the constant value input (PADV2), as TFLite Micro does.

import { preparedOp, type PreparedOp, type ReferenceKernel } from './kernel.js';
import {
  constantData,
  constantIntegers,
  expectType,
  extendShape,
  optionalInput,
  scalarQuantization,
  tensorAt,
  unsupported,
  type PrepareContext,
  type TensorArray,
} from './tensors.js';

export interface PadParams {
  /** Input shape extended to 4-D. */
  inputShape: number[];
  outputShape: number[];
  /** Leading padding per 4-D dimension. */
  before: number[];
  padValue: number;
}

function prepare(context: PrepareContext): PreparedOp<PadParams> {
  const input = tensorAt(context, 0, 'input');
  const paddingsTensor = tensorAt(context, 1, 'input');
  const output = tensorAt(context, 0, 'output');
  expectType(context, input, ['INT8', 'UINT8']);
  expectType(context, output, [input.type]);
  const rank = input.shape.length;
  if (rank > 4) throw unsupported(context, `input has ${rank} dimensions, at most 4 are supported`);
  const paddings = constantIntegers(context, paddingsTensor);
  if (paddings.length !== rank * 2) throw unsupported(context, `paddings hold ${paddings.length} values for a ${rank}-D input`);
  const before = extendShape(Array.from({ length: rank }, (_, i) => paddings[i * 2]), 4).map((value, i) => (i < 4 - rank ? 0 : value));
  const inputShape = extendShape(input.shape, 4);
  const outputShape = extendShape(output.shape, 4);
  for (let i = 0; i < rank; i++) {
    if (paddings[i * 2] < 0 || paddings[i * 2 + 1] < 0) throw unsupported(context, 'negative paddings are not supported');
    if (input.shape[i] + paddings[i * 2] + paddings[i * 2 + 1] !== output.shape[i]) {
      throw unsupported(context, `dimension ${i}: ${input.shape[i]} plus paddings does not give ${output.shape[i]}`);
    }
  }
  const constantValue = optionalInput(context, 2);
  const padValue = constantValue ? constantData(context, constantValue)[0] : scalarQuantization(context, output).zeroPoint;
  return preparedOp(context, { inputShape, outputShape, before, padValue }, { inputs: [input.index] });
}

function evaluate(p: PadParams, [input]: TensorArray[], [output]: TensorArray[]): void {
  const [o0, o1, o2, o3] = p.outputShape;
  const [i0, i1, i2, i3] = p.inputShape;
  let outputIndex = 0;
  for (let a = 0; a < o0; a++) {
    for (let b = 0; b < o1; b++) {
      for (let c = 0; c < o2; c++) {
        for (let d = 0; d < o3; d++) {
          const x0 = a - p.before[0];
          const x1 = b - p.before[1];
          const x2 = c - p.before[2];
          const x3 = d - p.before[3];
          const inside = x0 >= 0 && x0 < i0 && x1 >= 0 && x1 < i1 && x2 >= 0 && x2 < i2 && x3 >= 0 && x3 < i3;
          output[outputIndex++] = inside ? input[((x0 * i1 + x1) * i2 + x2) * i3 + x3] : p.padValue;
        }
      }
    }
  }
}

export const Pad: ReferenceKernel<PadParams> = Object.freeze({ prepare, evaluate });
