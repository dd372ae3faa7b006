// Compiles a prepared int8 graph to C99 source: model.h (the API) and model.c (weights as const
// arrays, one static arena laid out by the memory planner, and model_invoke() as straight-line
// kernel calls). No malloc and no interpreter on the device.

import { EdgeTrainerError } from '../../errors.js';
import type { PreparedGraph } from '../../reference/graph.js';
import { elementCount } from '../../reference/tensors.js';
import { C_TYPES, C_TYPE_BYTES, cArray, cComment, cString } from './c-source.js';
import { findRowChains, findRowPairs, type RowChain } from './fusion.js';
import { emitterFor, type EmitContext, type EmittedOp } from './op-calls.js';
import { CODE_BYTES_PER_OPERATOR, KERNEL_CODE_BYTES } from './fit-report.js';
import { planMemory, type MemoryPlan } from './planner.js';

/** C source files under the package root, copied unchanged from kernels/. */
export const KERNEL_FILES: readonly string[] = Object.freeze([
  'et_fixed_point.h',
  'et_kernels.h',
  'et_conv.c',
  'et_depthwise_conv.c',
  'et_fully_connected.c',
  'et_pooling.c',
  'et_mean.c',
  'et_add.c',
  'et_pad.c',
  'et_softmax.c',
  'et_quantize.c',
  'et_preprocess.h',
  'et_preprocess.c',
]);

export interface GeneratedModel {
  header: string;
  source: string;
  plan: MemoryPlan;
  /** Bytes of const data in model.c: weights, biases, multipliers, parameter structs, labels. */
  constantBytes: number;
  macs: number;
  /** Operators in the longest row-streamed chain (its stage functions nest that deep). */
  longestChain: number;
}

export interface GenerateOptions {
  labels: string[];
  /** Written into the header comment. */
  modelName: string;
  /** Stream chains of convolutions row by row (default true); false gives the plain plan. */
  rowStreaming?: boolean;
}

interface TensorInfo {
  name: string;
  type: string;
  shape: number[];
  scale: number;
  zeroPoint: number;
  offset: number;
  bytes: number;
}

function describeTensor(prepared: PreparedGraph, plan: MemoryPlan, index: number): TensorInfo {
  const tensor = prepared.graph.tensors[index];
  const type = C_TYPES[tensor.type];
  if (!type) throw new EdgeTrainerError('unsupported', `Tensor "${tensor.name}" of ${prepared.source} has type ${tensor.type}, which the C export cannot expose.`, { path: prepared.source });
  const offset = plan.offsets.get(index);
  if (offset === undefined) throw new Error(`generate: tensor ${index} has no arena offset`);
  return {
    name: tensor.name,
    type,
    shape: tensor.shape,
    scale: tensor.quantization?.scale[0] ?? 0,
    zeroPoint: tensor.quantization?.zeroPoint[0] ?? 0,
    offset,
    bytes: elementCount(tensor.shape) * C_TYPE_BYTES[type],
  };
}

/** Plans without streaming, with pairs and with maximal chains; keeps the smallest arena (ties: simpler). */
function chooseRowStreaming(prepared: PreparedGraph, enabled: boolean): { chains: RowChain[]; plan: MemoryPlan } {
  let best = { chains: [] as RowChain[], plan: planMemory(prepared) };
  if (!enabled) return best;
  for (const chains of [findRowPairs(prepared), findRowChains(prepared)]) {
    const plan = planMemory(prepared, chains);
    if (plan.arenaBytes < best.plan.arenaBytes) best = { chains, plan };
  }
  return best;
}

export function generateModelSource(prepared: PreparedGraph, options: GenerateOptions): GeneratedModel {
  const { graph } = prepared;
  const { chains, plan } = chooseRowStreaming(prepared, options.rowStreaming !== false);
  const links = chains.flatMap((chain) => chain.links);
  const constants: string[] = [];
  let constantBytes = 0;
  const context: EmitContext = {
    tensor(index, type = C_TYPES[graph.tensors[index].type] ?? 'void') {
      const offset = plan.offsets.get(index);
      if (offset === undefined) throw new Error(`generate: tensor ${index} is not in the arena`);
      return `((${type} *)(et_arena.bytes + ${offset}))`;
    },
    tensorType: (index) => graph.tensors[index].type,
    ringRows: (index) => links.find((link) => link.tensor === index)?.ringRows ?? 0,
    constant(name, type, values) {
      constants.push(cArray(name, type, values));
      constantBytes += Math.max(values.length, 1) * C_TYPE_BYTES[type];
      return name;
    },
  };

  const declarations: string[] = [];
  const chainFunctions: string[] = [];
  const body: string[] = [];
  let macs = 0;
  const emittedOps: EmittedOp[] = [];
  prepared.ops.forEach((op, step) => {
    const emitted = emitterFor(op.opcode)!(op as never, context, `et_op${op.index}`);
    emittedOps.push(emitted);
    declarations.push(...emitted.declarations);
    // NOTE: parameter structs are counted at an estimated 96 bytes each; the arrays are exact.
    constantBytes += emitted.declarations.length * 96;
    const outputs = op.outputs.map((index) => `"${cComment(graph.tensors[index].name)}" [${graph.tensors[index].shape.join(', ')}]`).join(', ');
    body.push(`  /* Operator ${op.index}: ${op.opcode} -> ${outputs}.${op.macs ? ` ${op.macs} MACs.` : ''} */`);
    if (op.accumulatorBound) body.push(`  /* Accumulator bound: ${op.accumulatorBound}. */`);
    const chainIndex = chains.findIndex((chain) => chain.steps.includes(step));
    const chain = chains[chainIndex];
    if (!chain) {
      body.push(...emitted.statements.map((line) => `  ${line}`));
    } else if (step === chain.steps[chain.steps.length - 1]) {
      const rendered = renderRowChain(prepared, chain, chainIndex, chain.steps.map((member) => emittedOps[member]));
      chainFunctions.push(...rendered.functions);
      body.push(...rendered.statements);
    } else {
      body.push(`  /* Runs row by row in chain ${chainIndex}, below. */`);
    }
    macs += op.macs;
  });

  const inputs = graph.inputs.map((index) => describeTensor(prepared, plan, index));
  const outputs = graph.outputs.map((index) => describeTensor(prepared, plan, index));
  const labels = options.labels;
  constantBytes += labels.reduce((sum, label) => sum + new TextEncoder().encode(label).length + 1 + 4, 0);

  return {
    header: renderHeader(options, prepared.ops.length, plan, inputs, outputs, labels.length, constantBytes, macs),
    source: renderSource(options, plan, inputs, outputs, labels, constants, [...declarations, ...chainFunctions], body),
    plan,
    constantBytes,
    macs,
    longestChain: Math.max(0, ...chains.map((chain) => chain.steps.length)),
  };
}

/**
 * Renders a chain as one stage function per operator. Stage i computes one output row after
 * pulling, from stage i - 1, every input row up to the last one its filter window reads. Rows are
 * produced in order, so a ring of one window span still contains every row that is needed.
 */
function renderRowChain(prepared: PreparedGraph, chain: RowChain, chainIndex: number, emitted: EmittedOp[]): { functions: string[]; statements: string[] } {
  const name = `et_chain${chainIndex}`;
  const functions = chain.steps.map((step, stage) => {
    const rowCall = emitted[stage].rowCall!('row', 'row + 1');
    if (stage === 0) return `static void ${name}_stage0(int32_t row, int32_t *produced) {\n  (void)produced;\n  ${rowCall}\n}`;
    const p = prepared.ops[step].params as { strideHeight: number; paddingHeight: number };
    const link = chain.links[stage - 1];
    const inputHeight = prepared.graph.tensors[link.tensor].shape[1];
    return [
      `static void ${name}_stage${stage}(int32_t row, int32_t *produced) {`,
      `  /* Last row of the ${link.ringRows}-row ring this output row reads. */`,
      `  int32_t last_row = row * ${p.strideHeight} - ${p.paddingHeight} + ${link.ringRows - 1};`,
      `  if (last_row > ${inputHeight - 1}) last_row = ${inputHeight - 1};`,
      `  while (produced[${stage - 1}] <= last_row) {`,
      `    ${name}_stage${stage - 1}(produced[${stage - 1}], produced);`,
      `    ++produced[${stage - 1}];`,
      '  }',
      `  ${rowCall}`,
      '}',
    ].join('\n');
  });
  const last = chain.steps.length - 1;
  const outputHeight = (prepared.ops[chain.steps[last]].params as { outputHeight: number }).outputHeight;
  const first = prepared.ops[chain.steps[0]].index;
  const statements = [
    `  /* Chain ${chainIndex}: operators ${first}..${prepared.ops[chain.steps[last]].index} run row by row; their intermediate tensors live in rings. */`,
    '  {',
    `    int32_t produced[${chain.steps.length}] = {0};`,
    '    int32_t out_y;',
    `    for (out_y = 0; out_y < ${outputHeight}; ++out_y) ${name}_stage${last}(out_y, produced);`,
    '  }',
  ];
  return { functions, statements };
}

function renderHeader(options: GenerateOptions, operatorCount: number, plan: MemoryPlan, inputs: TensorInfo[], outputs: TensorInfo[], labelCount: number, constantBytes: number, macs: number): string {
  const tensorDefines = (prefix: string, tensors: TensorInfo[]) =>
    tensors.flatMap((t, i) => [
      `/* ${prefix.toLowerCase()} ${i}: "${cComment(t.name)}", ${t.type} [${t.shape.join(', ')}], real = ${t.scale} * (q - ${t.zeroPoint}) */`,
      `#define MODEL_${prefix}${i}_BYTES ${t.bytes}`,
      `#define MODEL_${prefix}${i}_ELEMENTS ${t.bytes / C_TYPE_BYTES[t.type]}`,
    ]);
  const imageDefines =
    inputs.length === 1 && inputs[0].shape.length === 4 && [1, 3].includes(inputs[0].shape[3])
      ? [`#define MODEL_INPUT_HEIGHT ${inputs[0].shape[1]}`, `#define MODEL_INPUT_WIDTH ${inputs[0].shape[2]}`, `#define MODEL_INPUT_CHANNELS ${inputs[0].shape[3]}`]
      : [];
  return `/* Generated by Edge Trainer from ${cComment(options.modelName)}. Do not edit: export again instead.
 * Plain C99, no interpreter, no malloc. Call model_invoke() after filling model_input(0). */
#ifndef EDGE_TRAINER_MODEL_H
#define EDGE_TRAINER_MODEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Static arena for all activations, planned at export time. */
#define MODEL_ARENA_BYTES ${plan.arenaBytes}
/* Const data (weights, biases, multipliers, parameters, labels), excluding code. */
#define MODEL_CONSTANT_BYTES ${constantBytes}
/* Flash estimate: const data plus an estimated ${KERNEL_CODE_BYTES} bytes of kernel code and
 * ${CODE_BYTES_PER_OPERATOR} bytes per operator call. */
#define MODEL_FLASH_BYTES ${constantBytes + KERNEL_CODE_BYTES + CODE_BYTES_PER_OPERATOR * operatorCount}
#define MODEL_MACS ${macs}
#define MODEL_INPUT_COUNT ${inputs.length}
#define MODEL_OUTPUT_COUNT ${outputs.length}
#define MODEL_LABEL_COUNT ${labelCount}
${tensorDefines('INPUT', inputs).join('\n')}
${tensorDefines('OUTPUT', outputs).join('\n')}
${imageDefines.join('\n')}

typedef struct {
  const char *name;
  /* Element type: "int8", "uint8", "int16", "int32" or "float32". */
  const char *type;
  size_t bytes;
  float scale;
  int32_t zero_point;
} ModelTensorInfo;

/* Clears the arena. Optional: model_invoke() needs no setup. */
void model_init(void);
/* Buffer of input \`index\`; write a new input before every model_invoke(), because the arena
 * reuses the input's memory for later layers. */
void *model_input(int index);
const ModelTensorInfo *model_input_info(int index);
/* Runs the model; returns 0. */
int model_invoke(void);
/* Buffer of output \`index\`, valid until the next model_invoke(). */
const void *model_output(int index);
const ModelTensorInfo *model_output_info(int index);
/* Class label \`index\` (UTF-8), or "" when out of range. */
const char *model_label(int index);

#ifdef __cplusplus
}
#endif

#endif
`;
}

const TYPE_NAMES: Readonly<Record<string, string>> = Object.freeze({ int8_t: 'int8', uint8_t: 'uint8', int16_t: 'int16', int32_t: 'int32', float: 'float32' });

function renderSource(options: GenerateOptions, plan: MemoryPlan, inputs: TensorInfo[], outputs: TensorInfo[], labels: string[], constants: string[], declarations: string[], body: string[]): string {
  const info = (t: TensorInfo) => `  {${cString(t.name)}, "${TYPE_NAMES[t.type]}", ${t.bytes}, ${t.scale ? `${Math.fround(t.scale).toPrecision(9)}f` : '0.0f'}, ${t.zeroPoint}},`;
  const pointerCases = (tensors: TensorInfo[]) => tensors.map((t, i) => `    case ${i}: return et_arena.bytes + ${t.offset};`).join('\n');
  return `/* Generated by Edge Trainer from ${cComment(options.modelName)}. Do not edit: export again instead. */
#include <string.h>
#include "model.h"
#include "et_kernels.h"

/* All activations live here; offsets come from the export-time memory plan. The union aligns the
 * arena for int32 and float tensors. */
static union {
  double alignment;
  uint8_t bytes[MODEL_ARENA_BYTES];
} et_arena;

${constants.join('\n\n')}

${declarations.join('\n\n')}

static const ModelTensorInfo et_input_info[${Math.max(inputs.length, 1)}] = {
${inputs.map(info).join('\n')}
};

static const ModelTensorInfo et_output_info[${Math.max(outputs.length, 1)}] = {
${outputs.map(info).join('\n')}
};

static const char *const et_labels[${Math.max(labels.length, 1)}] = {
${labels.length ? labels.map((label) => `  ${cString(label)},`).join('\n') : '  ""'}
};

void model_init(void) { memset(et_arena.bytes, 0, sizeof et_arena.bytes); }

void *model_input(int index) {
  switch (index) {
${pointerCases(inputs)}
    default: return 0;
  }
}

const ModelTensorInfo *model_input_info(int index) {
  return index >= 0 && index < MODEL_INPUT_COUNT ? &et_input_info[index] : 0;
}

const void *model_output(int index) {
  switch (index) {
${pointerCases(outputs)}
    default: return 0;
  }
}

const ModelTensorInfo *model_output_info(int index) {
  return index >= 0 && index < MODEL_OUTPUT_COUNT ? &et_output_info[index] : 0;
}

const char *model_label(int index) {
  return index >= 0 && index < MODEL_LABEL_COUNT ? et_labels[index] : "";
}

int model_invoke(void) {
${body.join('\n')}
  return 0;
}
`;
}
