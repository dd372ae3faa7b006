// Row-streamed execution of convolution chains, a row-wise form of MCUNetV2's patch-based
// inference. A link is a CONV_2D or DEPTHWISE_CONV_2D whose output feeds only the next
// convolution. Along a chain of links, each intermediate tensor lives in a ring of as many rows as
// its consumer's filter window spans, and each layer computes an output row as soon as the rows
// it reads are ready. Every value is still computed once with the same arithmetic, so results
// stay bit-exact, and only the chain's first input and last output are stored whole. All rings of
// a chain are live together, so a long chain can need more memory than pairs. The generator
// therefore plans both layouts and keeps the smaller arena.

import type { ConvParams } from '../../reference/ConvPerChannel.js';
import type { PreparedGraph } from '../../reference/graph.js';

const CONVOLUTIONS: readonly string[] = Object.freeze(['CONV_2D', 'DEPTHWISE_CONV_2D']);

/** Intermediate tensor of a chain, stored as a ring of rows. */
export interface RowLink {
  tensor: number;
  ringRows: number;
}

export interface RowChain {
  /** Consecutive indices into prepared.ops. The chain runs at the step of the last one. */
  steps: number[];
  /** links[i] joins steps[i] to steps[i + 1]. */
  links: RowLink[];
}

/** Returns the ring size of the link from op `step` to the next op, or null when they cannot stream. */
function linkRingRows(prepared: PreparedGraph, readers: Map<number, number>, step: number): number | null {
  const producer = prepared.ops[step];
  const consumer = prepared.ops[step + 1];
  if (!consumer || !CONVOLUTIONS.includes(producer.opcode) || !CONVOLUTIONS.includes(consumer.opcode)) return null;
  const tensor = producer.outputs[0];
  const producerParams = producer.params as ConvParams;
  const consumerParams = consumer.params as ConvParams;
  if (consumer.inputs[0] !== tensor || readers.get(tensor) !== 1 || prepared.graph.outputs.includes(tensor)) return null;
  if (producerParams.batches !== 1 || consumerParams.batches !== 1) return null;
  const ringRows = (consumerParams.filterHeight - 1) * consumerParams.dilationHeight + 1;
  return ringRows < producerParams.outputHeight ? ringRows : null;
}

function countReaders(prepared: PreparedGraph): Map<number, number> {
  const readers = new Map<number, number>();
  for (const op of prepared.ops) for (const index of op.inputs) readers.set(index, (readers.get(index) ?? 0) + 1);
  return readers;
}

/** Finds the maximal chains of streamable links, in operator order. */
export function findRowChains(prepared: PreparedGraph): RowChain[] {
  const readers = countReaders(prepared);

  const chains: RowChain[] = [];
  let current: RowChain | null = null;
  for (let step = 0; step < prepared.ops.length; step++) {
    const ringRows = linkRingRows(prepared, readers, step);
    if (ringRows === null) {
      current = null;
      continue;
    }
    if (!current) {
      current = { steps: [step], links: [] };
      chains.push(current);
    }
    current.steps.push(step + 1);
    current.links.push({ tensor: prepared.ops[step].outputs[0], ringRows });
  }
  return chains;
}

/**
 * Finds disjoint two-operator chains, taking the largest intermediate tensor first, because each
 * operator joins one pair only and the largest tensors set the arena.
 */
export function findRowPairs(prepared: PreparedGraph): RowChain[] {
  const readers = countReaders(prepared);
  const candidates: { step: number; link: RowLink; bytes: number }[] = [];
  for (let step = 0; step + 1 < prepared.ops.length; step++) {
    const ringRows = linkRingRows(prepared, readers, step);
    if (ringRows === null) continue;
    const producer = prepared.ops[step].params as ConvParams;
    const bytes = producer.outputHeight * producer.outputWidth * producer.outputChannels;
    candidates.push({ step, link: { tensor: prepared.ops[step].outputs[0], ringRows }, bytes });
  }

  const used = new Set<number>();
  const pairs: RowChain[] = [];
  for (const candidate of candidates.sort((a, b) => b.bytes - a.bytes || a.step - b.step)) {
    if (used.has(candidate.step) || used.has(candidate.step + 1)) continue;
    used.add(candidate.step);
    used.add(candidate.step + 1);
    pairs.push({ steps: [candidate.step, candidate.step + 1], links: [candidate.link] });
  }
  return pairs.sort((a, b) => a.steps[0] - b.steps[0]);
}
