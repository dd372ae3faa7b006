import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runReference } from '../../../models/reference/graph.js';
import type { TensorArray } from '../../../models/reference/tensors.js';
import {
  ActivationFunctionType,
  AddOptionsT,
  ConcatenationOptionsT,
  Conv2DOptionsT,
  DepthwiseConv2DOptionsT,
  FullyConnectedOptionsT,
  Padding,
  Pool2DOptionsT,
  ReducerOptionsT,
  SoftmaxOptionsT,
} from '../../../models/tflite/schema/gen/tflite_generated.js';
import { TfliteInterpreter } from '../../../models/tflite/interpreter.js';
import { exportAndBuild, maxAbsDifference, randomInput } from './helpers.js';
import { buildTflite, weights, type ModelSpec } from './tflite-builder.js';

/** Builds a one-input model and runs C, the TS reference and the interpreter on three seeded inputs. */
async function runEverywhere(spec: ModelSpec, makeInput: (seed: number) => [TensorArray]): Promise<{ c: number[]; reference: number[]; interpreter: number[] }[]> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'et-c99-op-')), 'model.tflite');
  const bytes = buildTflite(spec);
  writeFileSync(file, bytes);
  const built = await exportAndBuild(file);
  const interpreter = await TfliteInterpreter.create(bytes, file);
  try {
    return [1, 2, 3].map((seed) => {
      const inputs = makeInput(seed);
      return {
        c: built.run(inputs[0]).values,
        reference: Array.from(runReference(built.result.prepared, inputs)[0]),
        interpreter: Array.from(interpreter.run(inputs as never)[0]),
      };
    });
  } finally {
    interpreter.dispose();
  }
}

function expectAgreement(results: { c: number[]; reference: number[]; interpreter: number[] }[], tolerance = 1): void {
  for (const { c, reference, interpreter } of results) {
    expect(c).toEqual(reference);
    expect(maxAbsDifference(reference, interpreter)).toBeLessThanOrEqual(tolerance);
  }
}

const int8Input = (length: number) => (seed: number): [TensorArray] => [randomInput(length, seed)];

describe('C kernels against the interpreter', () => {
  it('CONV_2D 3x3 stride 2 SAME, per-channel, RELU6', async () => {
    const spec: ModelSpec = {
      tensors: [
        { shape: [1, 9, 9, 3], type: 'INT8', scale: 0.05, zeroPoint: 7 },
        { shape: [4, 3, 3, 3], type: 'INT8', scale: [0.01, 0.02, 0.005, 0.03], zeroPoint: [0, 0, 0, 0], data: weights(108, 1) },
        { shape: [4], type: 'INT32', scale: [0.0005, 0.001, 0.00025, 0.0015], data: Int32Array.of(100, -2000, 30000, 7) },
        { shape: [1, 5, 5, 4], type: 'INT8', scale: 0.04, zeroPoint: -128 },
      ],
      operators: [{ opcode: 'CONV_2D', inputs: [0, 1, 2], outputs: [3], optionsType: 'Conv2DOptions', options: new Conv2DOptionsT(Padding.SAME, 2, 2, ActivationFunctionType.RELU6) }],
      inputs: [0],
      outputs: [3],
    };
    expectAgreement(await runEverywhere(spec, int8Input(243)));
  });

  it('CONV_2D dilation 2 VALID', async () => {
    const spec: ModelSpec = {
      tensors: [
        { shape: [1, 8, 7, 2], type: 'INT8', scale: 0.1, zeroPoint: -3 },
        { shape: [3, 2, 2, 2], type: 'INT8', scale: [0.02, 0.01, 0.04], zeroPoint: [0, 0, 0], data: weights(24, 2) },
        { shape: [3], type: 'INT32', scale: [0.002, 0.001, 0.004], data: Int32Array.of(-3, 0, 3) },
        { shape: [1, 6, 5, 3], type: 'INT8', scale: 0.2, zeroPoint: 4 },
      ],
      operators: [{ opcode: 'CONV_2D', inputs: [0, 1, 2], outputs: [3], optionsType: 'Conv2DOptions', options: new Conv2DOptionsT(Padding.VALID, 1, 1, ActivationFunctionType.NONE, 2, 2) }],
      inputs: [0],
      outputs: [3],
    };
    expectAgreement(await runEverywhere(spec, int8Input(112)));
  });

  it('DEPTHWISE_CONV_2D multiplier 2, RELU', async () => {
    const spec: ModelSpec = {
      tensors: [
        { shape: [1, 6, 6, 3], type: 'INT8', scale: 0.03, zeroPoint: -10 },
        { shape: [1, 3, 3, 6], type: 'INT8', scale: [0.01, 0.02, 0.03, 0.01, 0.02, 0.03], zeroPoint: [0, 0, 0, 0, 0, 0], quantizedDimension: 3, data: weights(54, 3) },
        { shape: [6], type: 'INT32', scale: [0.0003, 0.0006, 0.0009, 0.0003, 0.0006, 0.0009], data: Int32Array.of(5, -5, 50, -50, 500, -500) },
        { shape: [1, 6, 6, 6], type: 'INT8', scale: 0.02, zeroPoint: -128 },
      ],
      operators: [{ opcode: 'DEPTHWISE_CONV_2D', inputs: [0, 1, 2], outputs: [3], optionsType: 'DepthwiseConv2DOptions', options: new DepthwiseConv2DOptionsT(Padding.SAME, 1, 1, 2, ActivationFunctionType.RELU) }],
      inputs: [0],
      outputs: [3],
    };
    expectAgreement(await runEverywhere(spec, int8Input(108)));
  });

  it('FULLY_CONNECTED batch 2 with bias', async () => {
    const spec: ModelSpec = {
      tensors: [
        { shape: [2, 20], type: 'INT8', scale: 0.05, zeroPoint: 3 },
        { shape: [5, 20], type: 'INT8', scale: 0.01, data: weights(100, 4) },
        { shape: [5], type: 'INT32', scale: 0.0005, data: Int32Array.of(1, 2, 3, -400, 5000) },
        { shape: [2, 5], type: 'INT8', scale: 0.1, zeroPoint: -5 },
      ],
      operators: [{ opcode: 'FULLY_CONNECTED', inputs: [0, 1, 2], outputs: [3], optionsType: 'FullyConnectedOptions', options: new FullyConnectedOptionsT() }],
      inputs: [0],
      outputs: [3],
    };
    expectAgreement(await runEverywhere(spec, int8Input(40)));
  });

  for (const [opcode, padding, activation] of [
    ['AVERAGE_POOL_2D', Padding.SAME, ActivationFunctionType.NONE],
    ['MAX_POOL_2D', Padding.VALID, ActivationFunctionType.RELU],
  ] as const) {
    it(`${opcode} 3x3 stride 2`, async () => {
      const spec: ModelSpec = {
        tensors: [
          { shape: [1, 7, 8, 3], type: 'INT8', scale: 0.05, zeroPoint: -20 },
          { shape: padding === Padding.SAME ? [1, 4, 4, 3] : [1, 3, 3, 3], type: 'INT8', scale: 0.05, zeroPoint: -20 },
        ],
        operators: [{ opcode, inputs: [0], outputs: [1], optionsType: 'Pool2DOptions', options: new Pool2DOptionsT(padding, 2, 2, 3, 3, activation) }],
        inputs: [0],
        outputs: [1],
      };
      expectAgreement(await runEverywhere(spec, int8Input(168)));
    });
  }

  it('MEAN over height and width', async () => {
    const spec: ModelSpec = {
      tensors: [
        { shape: [1, 5, 6, 4], type: 'INT8', scale: 0.05, zeroPoint: -7 },
        { shape: [2], type: 'INT32', data: Int32Array.of(1, 2) },
        { shape: [1, 4], type: 'INT8', scale: 0.03, zeroPoint: 2 },
      ],
      operators: [{ opcode: 'MEAN', inputs: [0, 1], outputs: [2], optionsType: 'ReducerOptions', options: new ReducerOptionsT(false) }],
      inputs: [0],
      outputs: [2],
    };
    expectAgreement(await runEverywhere(spec, int8Input(120)));
  });

  it('ADD with broadcast and RELU', async () => {
    // The broadcast operand is the per-channel mean of the input, so one input file drives both.
    const spec: ModelSpec = {
      tensors: [
        { shape: [1, 3, 4, 2], type: 'INT8', scale: 0.1, zeroPoint: 3 },
        { shape: [2], type: 'INT32', data: Int32Array.of(1, 2) },
        { shape: [1, 1, 1, 2], type: 'INT8', scale: 0.07, zeroPoint: -9 },
        { shape: [1, 3, 4, 2], type: 'INT8', scale: 0.12, zeroPoint: -128 },
      ],
      operators: [
        { opcode: 'MEAN', inputs: [0, 1], outputs: [2], optionsType: 'ReducerOptions', options: new ReducerOptionsT(true) },
        { opcode: 'ADD', inputs: [0, 2], outputs: [3], optionsType: 'AddOptions', options: new AddOptionsT(ActivationFunctionType.RELU) },
      ],
      inputs: [0],
      outputs: [3],
    };
    expectAgreement(await runEverywhere(spec, int8Input(24)));
  });

  it('FULLY_CONNECTED without bias', async () => {
    const spec: ModelSpec = {
      tensors: [
        { shape: [1, 12], type: 'INT8', scale: 0.05, zeroPoint: -128 },
        { shape: [3, 12], type: 'INT8', scale: 0.02, data: weights(36, 5) },
        { shape: [1, 3], type: 'INT8', scale: 0.15, zeroPoint: 1 },
      ],
      operators: [{ opcode: 'FULLY_CONNECTED', inputs: [0, 1, -1], outputs: [2], optionsType: 'FullyConnectedOptions', options: new FullyConnectedOptionsT() }],
      inputs: [0],
      outputs: [2],
    };
    expectAgreement(await runEverywhere(spec, int8Input(12)));
  });

  it('PAD then CONCATENATION', async () => {
    const spec: ModelSpec = {
      tensors: [
        { shape: [1, 3, 3, 2], type: 'INT8', scale: 0.1, zeroPoint: 5 },
        { shape: [4, 2], type: 'INT32', data: Int32Array.of(0, 0, 1, 2, 2, 0, 0, 1) },
        { shape: [1, 6, 5, 3], type: 'INT8', scale: 0.1, zeroPoint: 5 },
        { shape: [1, 6, 5, 6], type: 'INT8', scale: 0.1, zeroPoint: 5 },
      ],
      operators: [
        { opcode: 'PAD', inputs: [0, 1], outputs: [2] },
        { opcode: 'CONCATENATION', inputs: [2, 2], outputs: [3], optionsType: 'ConcatenationOptions', options: new ConcatenationOptionsT(3) },
      ],
      inputs: [0],
      outputs: [3],
    };
    expectAgreement(await runEverywhere(spec, int8Input(18)), 0);
  });

  it('QUANTIZE, SOFTMAX, DEQUANTIZE on float input', async () => {
    const spec: ModelSpec = {
      tensors: [
        { shape: [2, 10], type: 'FLOAT32' },
        { shape: [2, 10], type: 'INT8', scale: 0.11, zeroPoint: 6 },
        { shape: [2, 10], type: 'INT8', scale: 1 / 256, zeroPoint: -128 },
        { shape: [2, 10], type: 'FLOAT32' },
      ],
      operators: [
        { opcode: 'QUANTIZE', inputs: [0], outputs: [1] },
        { opcode: 'SOFTMAX', inputs: [1], outputs: [2], optionsType: 'SoftmaxOptions', options: new SoftmaxOptionsT(1) },
        { opcode: 'DEQUANTIZE', inputs: [2], outputs: [3] },
      ],
      inputs: [0],
      outputs: [3],
    };
    const results = await runEverywhere(spec, (seed) => [Float32Array.from(randomInput(20, seed), (value) => value / 9)]);
    // run_model prints float outputs with 9 significant digits.
    for (const { c, reference, interpreter } of results) {
      expect(c).toEqual(reference.map((value) => Number(value.toPrecision(9))));
      expect(maxAbsDifference(reference, interpreter)).toBeLessThanOrEqual(1 / 256 + 1e-6);
    }
  });
});
