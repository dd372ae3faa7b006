// Row-streamed execution of convolution pairs, a row-wise form of MCUNetV2's patch-based
// inference. It applies when a CONV_2D or DEPTHWISE_CONV_2D output feeds only the next
// convolution. The producer then writes its output one row at a time into a ring of as many rows
// as the consumer's filter window spans, and the consumer runs as soon as a window is complete.
// Every output value is computed once with the same arithmetic, so results stay bit-exact, and
// the large intermediate tensor shrinks to a few rows.

import type { PreparedGraph } from '../../reference/graph.js';
import type { ConvParams } from '../../reference/ConvPerChannel.js';

const CONVOLUTIONS: readonly string[] = Object.freeze(['CONV_2D', 'DEPTHWISE_CONV_2D']);

export interface RowFusion {
  /** Index in prepared.ops of the producer; the consumer is the next op. */
  producerStep: number;
  /** Intermediate tensor stored as a ring. */
  tensor: number;
  ringRows: number;
}

/**
 * Finds disjoint producer/consumer convolution pairs whose intermediate tensor can be a ring of
 * rows. Candidates are taken largest intermediate tensor first, because each operator can join
 * one pair only and the largest tensors set the arena.
 */
export function findRowFusions(prepared: PreparedGraph): RowFusion[] {
  const { graph, ops } = prepared;
  const readers = new Map<number, number>();
  for (const op of ops) for (const index of op.inputs) readers.set(index, (readers.get(index) ?? 0) + 1);

  const candidates: (RowFusion & { bytes: number })[] = [];
  for (let step = 0; step + 1 < ops.length; step++) {
    const producer = ops[step];
    const consumer = ops[step + 1];
    if (!CONVOLUTIONS.includes(producer.opcode) || !CONVOLUTIONS.includes(consumer.opcode)) continue;
    const tensor = producer.outputs[0];
    const consumerParams = consumer.params as ConvParams;
    const producerParams = producer.params as ConvParams;
    if (consumer.inputs[0] !== tensor || readers.get(tensor) !== 1 || graph.outputs.includes(tensor)) continue;
    if (producerParams.batches !== 1 || consumerParams.batches !== 1) continue;
    const ringRows = (consumerParams.filterHeight - 1) * consumerParams.dilationHeight + 1;
    if (ringRows >= producerParams.outputHeight) continue;
    const bytes = producerParams.outputHeight * producerParams.outputWidth * producerParams.outputChannels;
    candidates.push({ producerStep: step, tensor, ringRows, bytes });
  }

  const used = new Set<number>();
  const fusions: RowFusion[] = [];
  for (const candidate of candidates.sort((a, b) => b.bytes - a.bytes || a.producerStep - b.producerStep)) {
    if (used.has(candidate.producerStep) || used.has(candidate.producerStep + 1)) continue;
    used.add(candidate.producerStep);
    used.add(candidate.producerStep + 1);
    fusions.push({ producerStep: candidate.producerStep, tensor: candidate.tensor, ringRows: candidate.ringRows });
  }
  return fusions.sort((a, b) => a.producerStep - b.producerStep);
}
