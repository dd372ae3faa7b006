// Prepares every operator of a .tflite model for the int8 reference and the C generator, and runs
// the reference on given inputs. Unsupported operators fail here, before anything is written.

import { EdgeTrainerError } from '../errors.js';
import type { TfliteModel, TfliteSubgraph } from '../tflite/reader.js';
import type { PreparedOp } from './kernel.js';
import { REFERENCE_KERNELS, SUPPORTED_OPERATORS } from './registry.js';
import { TENSOR_ARRAYS, elementCount, type TensorArray } from './tensors.js';

export interface PreparedGraph {
  graph: TfliteSubgraph;
  ops: PreparedOp<unknown>[];
  source: string;
}

/** Prepares the first subgraph of `model`; throws an 'unsupported' error naming the first op it cannot compile. */
export function prepareGraph(model: TfliteModel, source: string): PreparedGraph {
  if (model.subgraphs.length !== 1) {
    throw new EdgeTrainerError('unsupported', `${source} has ${model.subgraphs.length} subgraphs; the C export compiles single-subgraph models.`, {
      path: source,
      hint: 'Convert the model without control flow (WHILE, IF, CALL_ONCE).',
    });
  }
  const graph = model.subgraphs[0];
  const unknown = graph.operators.find((op) => !(op.opcode in REFERENCE_KERNELS));
  if (unknown) {
    const name = unknown.opcode === 'CUSTOM' ? `CUSTOM (${unknown.customCode ?? 'no name'})` : unknown.opcode;
    throw new EdgeTrainerError('unsupported', `Cannot compile operator ${unknown.index} (${name}) of ${source}: the C export has no kernel for it.`, {
      path: source,
      hint: `Supported operators: ${SUPPORTED_OPERATORS.join(', ')}. Use the TFLite Micro package (model_data.cc) for other operators.`,
    });
  }
  const ops = graph.operators.map((op) => REFERENCE_KERNELS[op.opcode].prepare({ graph, op, source }) as PreparedOp<unknown>);
  for (const index of [...graph.inputs, ...graph.outputs]) {
    if (!TENSOR_ARRAYS[graph.tensors[index].type]) {
      throw new EdgeTrainerError('unsupported', `Tensor "${graph.tensors[index].name}" of ${source} has type ${graph.tensors[index].type}; model inputs and outputs must be int8, uint8, int16, int32 or float32.`, { path: source });
    }
  }
  return { graph, ops, source };
}

/** Runs the int8 reference on one input per model input; returns the model outputs. */
export function runReference(prepared: PreparedGraph, inputs: TensorArray[]): TensorArray[] {
  const { graph } = prepared;
  if (inputs.length !== graph.inputs.length) throw new RangeError(`runReference: the model has ${graph.inputs.length} inputs, got ${inputs.length}`);
  const values = new Map<number, TensorArray>();
  graph.inputs.forEach((index, i) => {
    const tensor = graph.tensors[index];
    if (inputs[i].length !== elementCount(tensor.shape)) {
      throw new RangeError(`runReference: input "${tensor.name}" needs ${elementCount(tensor.shape)} values, got ${inputs[i].length}`);
    }
    values.set(index, inputs[i]);
  });
  for (const op of prepared.ops) {
    const opInputs = op.inputs.map((index) => {
      const value = values.get(index);
      if (!value) throw new RangeError(`runReference: operator ${op.index} (${op.opcode}) reads tensor ${index} before it is written`);
      return value;
    });
    evaluateOperator(graph, op, opInputs).forEach((output, i) => values.set(op.outputs[i], output));
  }
  return graph.outputs.map((index) => values.get(index)!);
}

/** Runs one prepared operator on its activation inputs and returns its outputs. */
export function evaluateOperator(graph: TfliteSubgraph, op: PreparedOp<unknown>, inputs: TensorArray[]): TensorArray[] {
  const outputs = op.outputs.map((index) => {
    const tensor = graph.tensors[index];
    if (op.aliasesInput) return inputs[0];
    return TENSOR_ARRAYS[tensor.type]!.create(elementCount(tensor.shape));
  });
  REFERENCE_KERNELS[op.opcode].evaluate(op.params as never, inputs, outputs);
  return outputs;
}
