// The real TFLite interpreter, from the WebAssembly build that @tensorflow/tfjs-tflite ships.
// Its package entry does not load in Node, so this module loads the Emscripten module directly
// with the wasm bytes and drives TFLiteWebModelRunner. Used to check exports and to preview
// quantized models exactly as TFLite computes them.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { EdgeTrainerError } from '../errors.js';

const require = createRequire(import.meta.url);

type TypedArray = Int8Array | Uint8Array | Int16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

interface CppVector<T> {
  size(): number;
  get(index: number): T;
  delete(): void;
}

interface CppTensorInfo {
  id: number;
  dataType: string;
  name: string;
  shape: string;
  data(): TypedArray;
}

interface CppRunner {
  GetInputs(): CppVector<CppTensorInfo>;
  GetOutputs(): CppVector<CppTensorInfo>;
  Infer(): boolean;
  delete(): void;
}

interface TfliteWasmModule {
  _malloc(size: number): number;
  _free(pointer: number): void;
  HEAPU8: Uint8Array;
  TFLiteWebModelRunner: {
    CreateFromBufferAndOptions(
      pointer: number,
      length: number,
      options: { numThreads: number; enableProfiling: boolean; maxProfilingBufferEntries: number },
    ): { ok(): boolean; errorMessage(): string; value(): CppRunner };
  };
}

export interface InterpreterTensor {
  name: string;
  /** TFLite dtype in lower case: float32, int8, uint8, int32, ... */
  dataType: string;
  shape: number[];
}

let modulePromise: Promise<TfliteWasmModule> | undefined;

function loadModule(): Promise<TfliteWasmModule> {
  if (!modulePromise) {
    const wasmDir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-tflite/package.json')), 'wasm');
    const factory = require(path.join(wasmDir, 'tflite_web_api_cc_simd.js')) as (options: object) => Promise<TfliteWasmModule>;
    const wasmBinary = readFileSync(path.join(wasmDir, 'tflite_web_api_cc_simd.wasm'));
    modulePromise = factory({ wasmBinary, print: () => {}, printErr: () => {} });
  }
  return modulePromise;
}

function toArray<T>(vector: CppVector<T>): T[] {
  const items: T[] = [];
  for (let i = 0; i < vector.size(); i++) items.push(vector.get(i));
  vector.delete();
  return items;
}

function describe(info: CppTensorInfo): InterpreterTensor {
  return { name: info.name, dataType: info.dataType, shape: info.shape.split(',').filter((d) => d !== '').map(Number) };
}

/** One loaded .tflite model in the WebAssembly interpreter. Call dispose() when done. */
export class TfliteInterpreter {
  readonly #module: TfliteWasmModule;
  readonly #runner: CppRunner;
  readonly #modelPointer: number;
  readonly inputs: InterpreterTensor[];
  readonly outputs: InterpreterTensor[];

  private constructor(module: TfliteWasmModule, runner: CppRunner, modelPointer: number) {
    this.#module = module;
    this.#runner = runner;
    this.#modelPointer = modelPointer;
    this.inputs = toArray(runner.GetInputs()).map(describe);
    this.outputs = toArray(runner.GetOutputs()).map(describe);
  }

  /** Creates an interpreter for a model; `source` names the file in errors. */
  static async create(model: Uint8Array, source = '<buffer>', numThreads = 1): Promise<TfliteInterpreter> {
    const module = await loadModule();
    const pointer = module._malloc(model.length);
    module.HEAPU8.set(model, pointer);
    const result = module.TFLiteWebModelRunner.CreateFromBufferAndOptions(pointer, model.length, {
      numThreads,
      enableProfiling: false,
      maxProfilingBufferEntries: 1024,
    });
    if (!result.ok()) {
      module._free(pointer);
      throw new EdgeTrainerError('corrupt_model', `The TFLite interpreter rejected ${source}: ${result.errorMessage()}`, { path: source });
    }
    return new TfliteInterpreter(module, result.value(), pointer);
  }

  /**
   * Runs the model on one set of inputs, given as typed arrays of each input's dtype in the
   * order of `inputs`, and returns copies of the outputs.
   */
  run(inputs: TypedArray[]): TypedArray[] {
    const inputInfos = toArray(this.#runner.GetInputs());
    if (inputs.length !== inputInfos.length) {
      throw new EdgeTrainerError('invalid_argument', `The model has ${inputInfos.length} inputs, got ${inputs.length}.`);
    }
    inputInfos.forEach((info, i) => {
      const target = info.data();
      if (target.length !== inputs[i].length) {
        throw new EdgeTrainerError('invalid_argument', `Invalid input ${info.name}: expected ${target.length} values, got ${inputs[i].length}.`);
      }
      target.set(inputs[i] as never);
    });
    if (!this.#runner.Infer()) throw new EdgeTrainerError('invalid_input', 'The TFLite interpreter failed to run the model.');
    return toArray(this.#runner.GetOutputs()).map((info) => info.data().slice());
  }

  dispose(): void {
    this.#runner.delete();
    this.#module._free(this.#modelPointer);
  }
}
