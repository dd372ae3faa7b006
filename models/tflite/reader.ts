// Reads a .tflite flatbuffer into plain objects: tensors with their dtype, shape, quantization and
// constant data, and operators with their builtin op name and options. Every exporter test and
// the C generator read models through this module.

import * as flatbuffers from 'flatbuffers';
import { EdgeTrainerError } from '../errors.js';
import { BuiltinOperator, BuiltinOptions, Model, TensorType, unionToBuiltinOptions } from './schema/gen/tflite_generated.js';

export const TFLITE_FILE_IDENTIFIER = 'TFL3';

export type TensorTypeName = keyof typeof TensorType;

/** Quantization of a tensor: real = scale * (q - zeroPoint), per tensor or per `quantizedDimension`. */
export interface TfliteQuantization {
  scale: number[];
  zeroPoint: number[];
  quantizedDimension: number;
  min: number[];
  max: number[];
}

export interface TfliteTensor {
  index: number;
  name: string;
  type: TensorTypeName;
  shape: number[];
  shapeSignature: number[];
  /** Index into the model's buffers; 0 is the empty buffer. */
  buffer: number;
  /** Constant contents, or null for activations and inputs. A view into the file's bytes. */
  data: Uint8Array | null;
  quantization: TfliteQuantization | null;
  isVariable: boolean;
}

export interface TfliteOperator {
  index: number;
  /** Builtin operator name as in the schema (CONV_2D, FULLY_CONNECTED, ...), or CUSTOM. */
  opcode: string;
  customCode: string | null;
  version: number;
  /** Tensor indices; -1 marks an omitted optional input. */
  inputs: number[];
  outputs: number[];
  /** Builtin options type name (Conv2DOptions, ...) or NONE. */
  optionsType: string;
  /** Builtin options as plain fields (padding, strideW, fusedActivationFunction, ...). */
  options: Record<string, unknown>;
}

export interface TfliteSubgraph {
  name: string;
  tensors: TfliteTensor[];
  inputs: number[];
  outputs: number[];
  operators: TfliteOperator[];
}

export interface TfliteModel {
  version: number;
  description: string;
  subgraphs: TfliteSubgraph[];
  metadata: { name: string; buffer: number }[];
  byteLength: number;
}

function invalid(source: string, reason: string, cause?: unknown): EdgeTrainerError {
  return new EdgeTrainerError('corrupt_model', `Invalid TFLite file ${source}: ${reason}.`, {
    path: source,
    hint: 'Export the model again; a .tflite file must be a complete TFLite flatbuffer.',
    cause,
    key: 'tflite_invalid',
    params: { file: source },
  });
}

/**
 * A ByteBuffer that rejects every read outside the file. The generated accessors follow offsets
 * stored in the file without checks, so a truncated or damaged file would otherwise read past the
 * end as zeros and parse into garbage.
 */
class CheckedByteBuffer extends flatbuffers.ByteBuffer {
  #check(offset: number, size: number): void {
    if (!(offset >= 0 && offset + size <= this.capacity())) {
      throw new RangeError(`read of ${size} bytes at offset ${offset} is outside the ${this.capacity()}-byte file`);
    }
  }

  override readUint8(offset: number): number {
    this.#check(offset, 1);
    return super.readUint8(offset);
  }

  override readUint16(offset: number): number {
    this.#check(offset, 2);
    return super.readUint16(offset);
  }

  override readInt32(offset: number): number {
    this.#check(offset, 4);
    return super.readInt32(offset);
  }

  override __vector_len(offset: number): number {
    const length = super.__vector_len(offset);
    // Every element is at least one byte, so a longer vector cannot fit in the file.
    this.#check(this.__vector(offset), length);
    return length;
  }

  override __string(offset: number, encoding?: flatbuffers.Encoding): string | Uint8Array {
    const start = offset + this.readInt32(offset);
    this.#check(start + 4, this.readInt32(start));
    return super.__string(offset, encoding);
  }
}

function plainOptions(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object') return {};
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (typeof field === 'bigint') out[key] = Number(field);
    else if (typeof field !== 'function') out[key] = field;
  }
  return out;
}

/** Parses TFLite bytes. `source` names the file in error messages. */
export function readTflite(bytes: Uint8Array, source = '<buffer>'): TfliteModel {
  if (bytes.length < 8) throw invalid(source, `it is ${bytes.length} bytes long`);
  // Typed-array views of vectors are bounds-checked against the underlying ArrayBuffer, so give
  // them one that ends where the file ends (Node may hand out slices of a larger pool).
  if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength) bytes = bytes.slice();
  const buffer = new CheckedByteBuffer(bytes);
  if (!Model.bufferHasIdentifier(buffer)) throw invalid(source, `the file identifier is not "${TFLITE_FILE_IDENTIFIER}"`);
  try {
    return parseModel(Model.getRootAsModel(buffer), bytes, source);
  } catch (error) {
    if (error instanceof EdgeTrainerError) throw error;
    throw invalid(source, `the flatbuffer is truncated or damaged (${(error as Error).message})`, error);
  }
}

function parseModel(model: Model, bytes: Uint8Array, source: string): TfliteModel {
  const opcodes: { name: string; custom: string | null; version: number }[] = [];
  for (let i = 0; i < model.operatorCodesLength(); i++) {
    const code = model.operatorCodes(i)!;
    // Files older than schema v3a keep the code in the byte field only; use the larger of the two.
    const builtin = Math.max(code.builtinCode(), code.deprecatedBuiltinCode());
    const name = BuiltinOperator[builtin];
    if (name === undefined) throw invalid(source, `operator code ${builtin} is not in the TFLite schema`);
    opcodes.push({ name, custom: code.customCode(), version: code.version() });
  }

  const buffers: (Uint8Array | null)[] = [];
  for (let i = 0; i < model.buffersLength(); i++) {
    const entry = model.buffers(i)!;
    const offset = Number(entry.offset());
    if (offset > 1) {
      // Large models keep buffer contents after the flatbuffer, addressed by offset and size.
      const size = Number(entry.size());
      if (offset + size > bytes.length) throw invalid(source, `buffer ${i} ends at byte ${offset + size}, past the end of the file`);
      buffers.push(bytes.subarray(offset, offset + size));
    } else {
      const data = entry.dataArray();
      buffers.push(data && data.length > 0 ? data : null);
    }
  }

  const subgraphs: TfliteSubgraph[] = [];
  for (let s = 0; s < model.subgraphsLength(); s++) {
    const graph = model.subgraphs(s)!;
    const tensors: TfliteTensor[] = [];
    for (let t = 0; t < graph.tensorsLength(); t++) {
      const tensor = graph.tensors(t)!;
      const bufferIndex = tensor.buffer();
      if (bufferIndex >= buffers.length) throw invalid(source, `tensor ${t} refers to buffer ${bufferIndex} of ${buffers.length}`);
      const typeName = TensorType[tensor.type()] as TensorTypeName | undefined;
      if (typeName === undefined) throw invalid(source, `tensor ${t} has unknown type ${tensor.type()}`);
      const q = tensor.quantization();
      let quantization: TfliteQuantization | null = null;
      if (q && q.scaleLength() > 0) {
        quantization = {
          scale: Array.from(q.scaleArray() ?? []),
          zeroPoint: Array.from({ length: q.zeroPointLength() }, (_, i) => Number(q.zeroPoint(i))),
          quantizedDimension: q.quantizedDimension(),
          min: Array.from(q.minArray() ?? []),
          max: Array.from(q.maxArray() ?? []),
        };
      }
      tensors.push({
        index: t,
        name: tensor.name() ?? '',
        type: typeName,
        shape: Array.from(tensor.shapeArray() ?? []),
        shapeSignature: Array.from(tensor.shapeSignatureArray() ?? []),
        buffer: bufferIndex,
        data: buffers[bufferIndex],
        quantization,
        isVariable: tensor.isVariable(),
      });
    }

    const operators: TfliteOperator[] = [];
    for (let o = 0; o < graph.operatorsLength(); o++) {
      const op = graph.operators(o)!;
      const opcode = opcodes[op.opcodeIndex()];
      if (!opcode) throw invalid(source, `operator ${o} uses opcode index ${op.opcodeIndex()} of ${opcodes.length}`);
      const optionsType = op.builtinOptionsType();
      const table = optionsType === BuiltinOptions.NONE ? null : unionToBuiltinOptions(optionsType, op.builtinOptions.bind(op));
      const inputs = Array.from(op.inputsArray() ?? []);
      const outputs = Array.from(op.outputsArray() ?? []);
      for (const index of [...inputs, ...outputs]) {
        if (index >= tensors.length) throw invalid(source, `operator ${o} (${opcode.name}) refers to tensor ${index} of ${tensors.length}`);
      }
      operators.push({
        index: o,
        opcode: opcode.name,
        customCode: opcode.custom,
        version: opcode.version,
        inputs,
        outputs,
        optionsType: BuiltinOptions[optionsType] ?? 'NONE',
        options: plainOptions(table ? (table as { unpack(): unknown }).unpack() : null),
      });
    }

    subgraphs.push({
      name: graph.name() ?? '',
      tensors,
      inputs: Array.from(graph.inputsArray() ?? []),
      outputs: Array.from(graph.outputsArray() ?? []),
      operators,
    });
  }
  if (subgraphs.length === 0) throw invalid(source, 'it has no subgraph');

  const metadata: { name: string; buffer: number }[] = [];
  for (let i = 0; i < model.metadataLength(); i++) {
    const entry = model.metadata(i)!;
    metadata.push({ name: entry.name() ?? '', buffer: entry.buffer() });
  }

  return { version: model.version(), description: model.description() ?? '', subgraphs, metadata, byteLength: bytes.length };
}
