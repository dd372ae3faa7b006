// Compares the int8 reference with the TFLite interpreter one operator at a time. The model is
// rewritten with every operator output as a model output, so one interpreter run returns every
// intermediate tensor, and each reference kernel then runs on the interpreter's own inputs. A kernel
// that disagrees shows up at its own operator, apart from rounding differences that add up over
// many layers.

import * as flatbuffers from 'flatbuffers';
import { evaluateOperator, prepareGraph } from '../../../models/reference/graph.js';
import type { TensorArray } from '../../../models/reference/tensors.js';
import { TfliteInterpreter } from '../../../models/tflite/interpreter.js';
import { readTflite } from '../../../models/tflite/reader.js';
import { Buffer as TfliteBuffer, BufferT, Model } from '../../../models/tflite/schema/gen/tflite_generated.js';

export interface OperatorGap {
  index: number;
  opcode: string;
  /** Largest |reference - interpreter| over all samples, in quantization steps. */
  steps: number;
}

class EmptyBufferT extends BufferT {
  override pack(builder: flatbuffers.Builder): flatbuffers.Offset {
    TfliteBuffer.startBuffer(builder);
    return TfliteBuffer.endBuffer(builder);
  }
}

/** Rewrites the model so that the output of every operator is also a model output. */
export function withEveryOperatorOutput(bytes: Uint8Array): Uint8Array {
  const model = Model.getRootAsModel(new flatbuffers.ByteBuffer(bytes)).unpack();
  const subgraph = model.subgraphs[0];
  subgraph.outputs = [...new Set(subgraph.operators.flatMap((op) => op.outputs))];
  // The object API would give every buffer a data vector, and TFLite reads a tensor whose buffer has
  // one, even an empty one, as a constant. Buffers without contents stay without.
  model.buffers = model.buffers.map((buffer) => (buffer.data.length > 0 ? buffer : new EmptyBufferT()));
  const builder = new flatbuffers.Builder(bytes.length + 4096);
  builder.finish(model.pack(builder), 'TFL3');
  return builder.asUint8Array().slice();
}

/** Runs each sample (one array per model input) and returns the largest gap of every operator. */
export async function interpreterOperatorGaps(bytes: Uint8Array, samples: TensorArray[][], source: string): Promise<OperatorGap[]> {
  const probe = withEveryOperatorOutput(bytes);
  const prepared = prepareGraph(readTflite(probe, source), source);
  const { graph } = prepared;
  const gaps = prepared.ops.map((op) => ({ index: op.index, opcode: op.opcode, steps: 0 }));
  const interpreter = await TfliteInterpreter.create(probe, source);
  try {
    for (const sample of samples) {
      const observed = new Map<number, ArrayLike<number>>();
      graph.inputs.forEach((tensor, i) => observed.set(tensor, sample[i]));
      interpreter.run(sample).forEach((values, i) => observed.set(graph.outputs[i], values as ArrayLike<number>));
      prepared.ops.forEach((op, position) => {
        const outputs = evaluateOperator(graph, op, op.inputs.map((tensor) => observed.get(tensor)!) as TensorArray[]);
        op.outputs.forEach((tensor, k) => {
          const expected = observed.get(tensor)!;
          for (let i = 0; i < expected.length; i++) gaps[position].steps = Math.max(gaps[position].steps, Math.abs(outputs[k][i] - expected[i]));
        });
      });
    }
  } finally {
    interpreter.dispose();
  }
  return gaps;
}
