import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASES } from '../../../models/bases/registry.js';
import { parseLabelsTxt } from '../../../models/exporters/tflite/labels.js';
import { loadImageInput } from '../../../models/images/preprocess.js';
import { affineQuantize } from '../../../models/reference/Quantize.js';
import { prepareGraph, runReference } from '../../../models/reference/graph.js';
import { TfliteInterpreter } from '../../../models/tflite/interpreter.js';
import { readTflite } from '../../../models/tflite/reader.js';
import { lastJsonLine, runCli } from '../../cli/run-cli.js';
import { digitSamples, TEST_CACHE_DIR } from '../../models/training/digits.js';
import { buildArduinoExample, maxAbsDifference, STRICT_CFLAGS } from './helpers.js';
import { interpreterOperatorGaps } from './interpreter-steps.js';

const BASE_ID = 'mobilenet-v1-96-gray';
const HELD_OUT_PER_CLASS = 2;

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

// The board path end to end, as a maker runs it: train a 96x96 grayscale classifier, quantize it to
// int8 TFLite, and export that file as an Arduino library for the Nano 33 BLE Sense. The library's
// host program then runs on photos that training never saw.
describe('96x96 model as an Arduino library', () => {
  it('host build matches reference and interpreter', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'et-gray96-'));
    const { train, heldOut } = digitSamples(HELD_OUT_PER_CLASS, 20);
    for (const sample of train) {
      const dir = path.join(work, 'photos', sample.label);
      mkdirSync(dir, { recursive: true });
      copyFileSync(sample.file!, path.join(dir, path.basename(sample.file!)));
    }
    const photos = path.join(work, 'photos');
    const modelDir = path.join(work, 'model');
    const tflite = path.join(work, 'tflite', 'model.tflite');
    const library = path.join(work, 'EdgeTrainerModel');

    const trained = runCli(['train', photos, '--base', BASE_ID, '--epochs', '20', '--seed', '3', '--cache-dir', TEST_CACHE_DIR, '--out', modelDir, '--json']);
    expect(trained.status, trained.stderr).toBe(0);
    const quantized = runCli(['export', modelDir, '--format', 'tflite', '--variant', 'int8', '--calibration', photos, '--images-per-class', '4', '--out', tflite, '--json']);
    expect(quantized.status, quantized.stderr).toBe(0);
    const exported = runCli(['export', tflite, '--format', 'arduino', '--board', 'nano33ble', '--sample', heldOut[0].file!, '--out', library, '--json']);
    expect(exported.status, exported.stderr).toBe(0);
    expect((lastJsonLine(exported.stdout) as { report: { fits: boolean } }).report.fits).toBe(true);
    expect(JSON.parse(readFileSync(path.join(library, 'report.json'), 'utf8')).board.id).toBe('nano33ble');
    expect(existsSync(path.join(library, 'library.properties'))).toBe(true);
    execFileSync('make', ['-s', '-C', library, 'host', `CFLAGS=${STRICT_CFLAGS}`], { stdio: 'pipe' });
    const runModel = (file: string) =>
      execFileSync(path.join(library, 'run_model'), [file], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .filter((line) => !line.includes('_bytes '))
        .map(Number);

    // From the model folder in one step, the int8 accuracy is printed next to float32 first.
    const direct = runCli(['export', modelDir, '--format', 'arduino', '--calibration', photos, '--images-per-class', '4', '--out', path.join(work, 'direct')]);
    expect(direct.status, direct.stderr).toBe(0);
    expect(direct.stdout).toMatch(/Accuracy on \d+ held-out photos: float32 [\d.]+%, int8 [\d.]+%/);

    const bytes = new Uint8Array(readFileSync(tflite));
    const prepared = prepareGraph(readTflite(bytes, tflite), tflite);
    const graph = prepared.graph;
    const { scale, zeroPoint } = graph.tensors[graph.inputs[0]].quantization!;
    const inputs: Int8Array[] = [];
    for (const sample of heldOut) {
      const real = await loadImageInput(sample.file!, BASES[BASE_ID].input);
      inputs.push(Int8Array.from(real, (value) => affineQuantize(value, scale[0], zeroPoint[0], -128, 127)));
    }

    // The C equals TFLite's reference int8 kernels bit for bit, as TFLite Micro's reference build runs them.
    const interpreter = await TfliteInterpreter.create(bytes, tflite);
    let largestGap = 0;
    let sameTop = 0;
    const cOutputs: number[][] = [];
    inputs.forEach((input, i) => {
      const file = path.join(work, `input-${i}.bin`);
      writeFileSync(file, input);
      const c = runModel(file);
      expect(c).toEqual(Array.from(runReference(prepared, [input])[0]));
      const interpreted = interpreter.run([input])[0];
      largestGap = Math.max(largestGap, maxAbsDifference(c, interpreted));
      cOutputs.push(c);
      if (argmax(c) === argmax(interpreted)) sameTop++;
    });
    interpreter.dispose();

    // The example sketch classifies the embedded first held-out photo and prints the C's top class.
    // labels.txt beside the .tflite has "index label" lines, and the C contains the bare class names.
    const labels = parseLabelsTxt(readFileSync(path.join(path.dirname(tflite), 'labels.txt'), 'utf8'));
    expect(execFileSync(buildArduinoExample(library), { encoding: 'utf8' }).match(/^label: (.*)$/m)?.[1]).toBe(labels[argmax(cOutputs[0])]);
    // extras/sample_input.bin is the sketch's input, made by --sample from the first held-out photo.
    expect(runModel(path.join(library, 'extras', 'sample_input.bin'))).toEqual(cOutputs[0]);

    // The WebAssembly interpreter runs XNNPACK, whose int8 kernels requantize in float32 and round
    // some values the other way. Each operator of the reference, given the interpreter's own
    // inputs, must be within one step of it. Over dozens of operators those steps add up, so the
    // end-to-end gap is only reported.
    const gaps = await interpreterOperatorGaps(bytes, inputs.map((input) => [input]), tflite);
    expect(gaps.length).toBe(graph.operators.length);
    for (const gap of gaps) expect(gap.steps, `operator ${gap.index} (${gap.opcode})`).toBeLessThanOrEqual(1);
    console.log(`96x96 int8 on ${inputs.length} held-out photos: every operator within ${Math.max(...gaps.map((gap) => gap.steps))} step of the interpreter; end to end within ${largestGap} steps, same top-1 on ${sameTop}`);
  });
});
