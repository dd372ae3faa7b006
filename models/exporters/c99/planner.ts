// Static memory plan of the generated C: every non-constant tensor gets an offset in one arena.
// Tensors whose lifetimes (first write .. last read, in operator steps) overlap never share bytes;
// RESHAPE outputs alias their input. Placement is greedy by size: largest buffer first, at the
// lowest aligned offset that does not overlap a placed buffer alive at the same time. A
// row-streamed chain (fusion.ts) counts as one step, and its intermediate tensors as rings of rows.

import type { PreparedGraph } from '../../reference/graph.js';
import { tensorBytes } from '../../reference/tensors.js';
import type { RowChain } from './fusion.js';

/** Alignment of every buffer in the arena, in bytes (enough for float32 and int32 tensors). */
export const ARENA_ALIGNMENT = 16;

export interface PlannedBuffer {
  /** Tensors stored in this buffer: one, or a RESHAPE chain sharing memory. */
  tensors: number[];
  offset: number;
  bytes: number;
  /** Step of the first write; -1 for model inputs, written before invoke. */
  firstStep: number;
  /** Step of the last read; the operator count for model outputs, read after invoke. */
  lastStep: number;
}

export interface MemoryPlan {
  arenaBytes: number;
  buffers: PlannedBuffer[];
  /** Arena offset of each planned tensor. */
  offsets: Map<number, number>;
}

function alignUp(value: number): number {
  return Math.ceil(value / ARENA_ALIGNMENT) * ARENA_ALIGNMENT;
}

export function lifetimesOverlap(a: PlannedBuffer, b: PlannedBuffer): boolean {
  return a.firstStep <= b.lastStep && b.firstStep <= a.lastStep;
}

export function planMemory(prepared: PreparedGraph, chains: readonly RowChain[] = []): MemoryPlan {
  const { graph, ops } = prepared;
  const links = chains.flatMap((chain) => chain.links);
  const bytesOf = (tensor: number) => {
    const link = links.find((entry) => entry.tensor === tensor);
    if (!link) return tensorBytes(graph.tensors[tensor]);
    return (tensorBytes(graph.tensors[tensor]) / graph.tensors[tensor].shape[1]) * link.ringRows;
  };
  // A chain runs at the step of its last operator, so its input, rings and output are all live then.
  const stepOf = ops.map((_, index) => index);
  for (const chain of chains) for (const step of chain.steps) stepOf[step] = chain.steps[chain.steps.length - 1];
  const groupOf = new Map<number, PlannedBuffer>();
  const buffers: PlannedBuffer[] = [];
  const touch = (tensor: number, step: number) => {
    let buffer = groupOf.get(tensor);
    if (!buffer) {
      buffer = { tensors: [tensor], offset: 0, bytes: bytesOf(tensor), firstStep: step, lastStep: step };
      groupOf.set(tensor, buffer);
      buffers.push(buffer);
    }
    buffer.firstStep = Math.min(buffer.firstStep, step);
    buffer.lastStep = Math.max(buffer.lastStep, step);
  };

  for (const index of graph.inputs) touch(index, -1);
  ops.forEach((op, index) => {
    const step = stepOf[index];
    for (const input of op.inputs) touch(input, step);
    if (op.aliasesInput) {
      const shared = groupOf.get(op.inputs[0])!;
      shared.tensors.push(op.outputs[0]);
      shared.bytes = Math.max(shared.bytes, bytesOf(op.outputs[0]));
      groupOf.set(op.outputs[0], shared);
    } else {
      for (const output of op.outputs) touch(output, step);
    }
  });
  for (const index of graph.outputs) touch(index, ops.length);

  const placed: PlannedBuffer[] = [];
  const order = [...buffers].sort((a, b) => b.bytes - a.bytes || a.firstStep - b.firstStep);
  let arenaBytes = 0;
  for (const buffer of order) {
    const conflicts = placed.filter((other) => lifetimesOverlap(buffer, other)).sort((a, b) => a.offset - b.offset);
    let offset = 0;
    for (const other of conflicts) {
      if (offset + buffer.bytes <= other.offset) break;
      offset = Math.max(offset, alignUp(other.offset + other.bytes));
    }
    buffer.offset = offset;
    placed.push(buffer);
    arenaBytes = Math.max(arenaBytes, offset + buffer.bytes);
  }

  const offsets = new Map<number, number>();
  for (const buffer of buffers) for (const tensor of buffer.tensors) offsets.set(tensor, buffer.offset);
  return { arenaBytes: alignUp(arenaBytes), buffers, offsets };
}

/** Lists pairs of buffers alive at the same step whose bytes overlap; an empty list means the plan is valid. */
export function findPlanConflicts(plan: MemoryPlan): string[] {
  const conflicts: string[] = [];
  plan.buffers.forEach((a, i) => {
    if (a.offset % ARENA_ALIGNMENT !== 0) conflicts.push(`tensor ${a.tensors[0]} at offset ${a.offset} is not aligned`);
    if (a.offset + a.bytes > plan.arenaBytes) conflicts.push(`tensor ${a.tensors[0]} ends past the arena`);
    for (const b of plan.buffers.slice(i + 1)) {
      const bytesOverlap = a.offset < b.offset + b.bytes && b.offset < a.offset + a.bytes;
      if (bytesOverlap && lifetimesOverlap(a, b)) {
        conflicts.push(`tensors ${a.tensors.join('+')} and ${b.tensors.join('+')} overlap in steps ${Math.max(a.firstStep, b.firstStep)}..${Math.min(a.lastStep, b.lastStep)}`);
      }
    }
  });
  return conflicts;
}

/** Largest sum of bytes of buffers alive at one step: a lower bound for the arena of this plan. */
export function peakLiveBytes(plan: MemoryPlan, stepCount: number): number {
  let peak = 0;
  for (let step = -1; step <= stepCount; step++) {
    const live = plan.buffers.filter((buffer) => buffer.firstStep <= step && step <= buffer.lastStep);
    peak = Math.max(peak, live.reduce((sum, buffer) => sum + buffer.bytes, 0));
  }
  return peak;
}
