// The strict integer check run on every int8/uint8 export after writing: the file is read back
// with the independent reader and must run on integer-only hardware (microcontrollers, NPUs).

import type { TfliteModel } from '../../tflite/reader.js';

const INTEGER_IO_TYPES = new Set(['INT8', 'UINT8']);
/** int32 appears only as bias, shape, axis and padding constants. */
const INTEGER_TENSOR_TYPES = new Set(['INT8', 'UINT8', 'INT32']);

/** Returns the reasons `model` is not a strict integer model; an empty list means it is one. */
export function strictIntegerProblems(model: TfliteModel): string[] {
  const problems: string[] = [];
  for (const graph of model.subgraphs) {
    for (const index of [...graph.inputs, ...graph.outputs]) {
      const tensor = graph.tensors[index];
      const role = graph.inputs.includes(index) ? 'input' : 'output';
      if (!INTEGER_IO_TYPES.has(tensor.type)) problems.push(`${role} ${tensor.name} is ${tensor.type}, expected INT8 or UINT8`);
      else if (!tensor.quantization) problems.push(`${role} ${tensor.name} has no quantization parameters`);
    }
    for (const tensor of graph.tensors) {
      if (!INTEGER_TENSOR_TYPES.has(tensor.type)) problems.push(`tensor ${tensor.name} is ${tensor.type}`);
      else if (tensor.type !== 'INT32' && !tensor.quantization) problems.push(`tensor ${tensor.name} (${tensor.type}) has no quantization parameters`);
      else if (tensor.type === 'INT32' && tensor.data === null) problems.push(`activation ${tensor.name} is INT32`);
    }
    for (const op of graph.operators) {
      if (op.opcode === 'CUSTOM') problems.push(`operator ${op.index} is CUSTOM (${op.customCode ?? 'no code'})${op.customCode?.startsWith('Flex') ? ', a TensorFlow Flex op' : ''}`);
    }
  }
  return problems;
}
