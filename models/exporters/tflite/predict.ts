// Runs a .tflite classifier on inputs preprocessed by our spec (values in [-1, 1]). Quantized
// inputs are quantized with the file's own scale and zero point. Teachable Machine's older
// quantized exports expect pixels mapped to [0, 1], its newer ones [-1, 1]: the real range the
// input quantization covers tells them apart.

import { readFile } from 'node:fs/promises';
import { EdgeTrainerError } from '../../errors.js';
import { TfliteInterpreter } from '../../tflite/interpreter.js';
import { readTflite } from '../../tflite/reader.js';
import { elementCount } from './graph.js';
import { summarizeTensor, type TensorSummary } from './describe.js';

/** How model input values relate to our [-1, 1] preprocessing. */
export type InputScaling = 'minus-one-to-one' | 'zero-to-one';

/**
 * A quantized input whose real range starts at or above this value expects [0, 1]; [-1, 1] inputs
 * start near -1. The margin covers a zero point one step off.
 */
const ZERO_TO_ONE_MIN_REAL = -0.1;

export function detectInputScaling(input: TensorSummary): InputScaling {
  if (input.realRange !== null && input.realRange[0] >= ZERO_TO_ONE_MIN_REAL) return 'zero-to-one';
  return 'minus-one-to-one';
}

const INTEGER_INPUTS: Readonly<Record<string, { array: Int8ArrayConstructor | Uint8ArrayConstructor; min: number; max: number }>> = Object.freeze({
  int8: { array: Int8Array, min: -128, max: 127 },
  uint8: { array: Uint8Array, min: 0, max: 255 },
});

/** A loaded classifier; call dispose() when done. */
export class TflitePredictor {
  readonly source: string;
  readonly input: TensorSummary;
  readonly output: TensorSummary;
  readonly inputScaling: InputScaling;
  readonly #interpreter: TfliteInterpreter;

  private constructor(source: string, interpreter: TfliteInterpreter, input: TensorSummary, output: TensorSummary) {
    this.source = source;
    this.#interpreter = interpreter;
    this.input = input;
    this.output = output;
    this.inputScaling = detectInputScaling(input);
  }

  static async fromBytes(bytes: Uint8Array, source = '<buffer>'): Promise<TflitePredictor> {
    const graph = readTflite(bytes, source).subgraphs[0];
    if (graph.inputs.length !== 1 || graph.outputs.length !== 1) {
      throw new EdgeTrainerError('unsupported', `${source} has ${graph.inputs.length} inputs and ${graph.outputs.length} outputs; a classifier has one of each.`, { path: source });
    }
    const input = summarizeTensor(graph.tensors[graph.inputs[0]]);
    const output = summarizeTensor(graph.tensors[graph.outputs[0]]);
    if (input.dtype !== 'float32' && !(input.dtype in INTEGER_INPUTS)) {
      throw new EdgeTrainerError('unsupported', `${source} takes a ${input.dtype} input; expected float32, int8 or uint8.`, { path: source });
    }
    return new TflitePredictor(source, await TfliteInterpreter.create(bytes, source), input, output);
  }

  static async fromFile(file: string): Promise<TflitePredictor> {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch (error) {
      throw new EdgeTrainerError('not_found', `Cannot read ${file}: ${(error as Error).message}`, { path: file, hint: 'Check the path of the .tflite file.', cause: error });
    }
    return TflitePredictor.fromBytes(bytes, file);
  }

  /** Input side and channel count, from the [1, H, W, C] input shape. */
  get inputSpec(): { size: number; channels: number } {
    return { size: this.input.shape[1], channels: this.input.shape[3] };
  }

  /** Returns the output scores (dequantized for integer outputs) for one input in [-1, 1]. */
  predict(inputMinusOneToOne: Float32Array): Float32Array {
    const expected = elementCount(this.input.shape);
    if (inputMinusOneToOne.length !== expected) {
      throw new EdgeTrainerError('invalid_argument', `${this.source} needs ${expected} input values for shape [${this.input.shape}], got ${inputMinusOneToOne.length}.`, { path: this.source });
    }
    const real = this.inputScaling === 'zero-to-one' ? inputMinusOneToOne.map((value) => (value + 1) / 2) : inputMinusOneToOne;
    const integer = INTEGER_INPUTS[this.input.dtype];
    let feed: Float32Array | Int8Array | Uint8Array = real;
    if (integer) {
      const scale = this.input.scale!;
      const zeroPoint = this.input.zeroPoint!;
      const quantized = new integer.array(real.length);
      for (let i = 0; i < real.length; i++) quantized[i] = Math.min(Math.max(Math.round(real[i] / scale + zeroPoint), integer.min), integer.max);
      feed = quantized;
    }
    const raw = this.#interpreter.run([feed])[0];
    if (this.output.scale === null) return Float32Array.from(raw);
    const scale = this.output.scale;
    const zeroPoint = this.output.zeroPoint ?? 0;
    return Float32Array.from(raw, (value) => scale * (value - zeroPoint));
  }

  dispose(): void {
    this.#interpreter.dispose();
  }
}

/** Loads `file`, predicts one input in [-1, 1] and returns the scores. */
export async function predictTflite(file: string, inputMinusOneToOne: Float32Array): Promise<Float32Array> {
  const predictor = await TflitePredictor.fromFile(file);
  try {
    return predictor.predict(inputMinusOneToOne);
  } finally {
    predictor.dispose();
  }
}
