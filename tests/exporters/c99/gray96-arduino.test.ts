import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../models/backend.js';
import { BASES } from '../../../models/bases/registry.js';
import { assembleClassifier } from '../../../models/classifier/assemble.js';
import { resolveBoard } from '../../../models/exporters/c99/boards.js';
import { buildTflite } from '../../../models/exporters/tflite/export.js';
import { loadImageInput } from '../../../models/images/preprocess.js';
import { affineQuantize } from '../../../models/reference/Quantize.js';
import { runReference } from '../../../models/reference/graph.js';
import { TfliteInterpreter } from '../../../models/tflite/interpreter.js';
import { readTflite } from '../../../models/tflite/reader.js';
import { trainClassifier } from '../../../models/training/train.js';
import { digitSamples, TEST_CACHE_DIR } from '../../models/training/digits.js';
import { exportAndBuild, maxAbsDifference } from './helpers.js';

const BASE_ID = 'mobilenet-v1-96-gray';
const HELD_OUT_PER_CLASS = 2;
const CALIBRATION_PER_CLASS = 4;

// The board path end to end: a 96x96 grayscale classifier trained by the engine is quantized to int8
// and exported for the Nano 33 BLE Sense. The C package (which also contains the Arduino library) is
// built for the host and run on photos that training never saw.
describe('96x96 model as an Arduino library', () => {
  it('fits nano33ble and equals the reference', async () => {
    await initBackend('auto');
    const spec = BASES[BASE_ID].input;
    const { train, heldOut } = digitSamples(HELD_OUT_PER_CLASS, 20);
    const result = await trainClassifier(train, { base: BASE_ID, seed: 3, epochs: 20, cacheDir: TEST_CACHE_DIR });
    const model = await assembleClassifier(BASE_ID, result.head);
    result.head.dispose();

    const calibration: Float32Array[] = [];
    for (const label of result.labels) {
      const files = train.filter((sample) => sample.label === label).slice(0, CALIBRATION_PER_CLASS);
      for (const sample of files) calibration.push(await loadImageInput(sample.file!, spec));
    }
    const built = await buildTflite(model, result.labels, { variant: 'int8', calibration });
    model.dispose();
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'et-gray96-')), 'model.tflite');
    writeFileSync(file, built.bytes);

    const exported = await exportAndBuild(file, { board: resolveBoard('nano33ble'), format: 'c', allowOversize: false, labels: result.labels });
    expect(exported.result.report.fits).toBe(true);

    const graph = readTflite(built.bytes, file).subgraphs[0];
    const inputQuantization = graph.tensors[graph.inputs[0]].quantization!;
    const interpreter = await TfliteInterpreter.create(built.bytes, file);
    // TODO: the goal is the interpreter's output within one quantization step. On this model the
    // WebAssembly interpreter's optimized int8 kernels differ from TFLite's reference kernels, which
    // the C matches bit for bit, by more than that, so the gap is logged rather than asserted.
    let largestInterpreterGap = 0;
    for (const sample of heldOut) {
      const real = await loadImageInput(sample.file!, spec);
      const input = Int8Array.from(real, (value) => affineQuantize(value, inputQuantization.scale[0], inputQuantization.zeroPoint[0], -128, 127));
      const c = exported.run(input).values;

      const interpreted = Array.from(interpreter.run([input])[0]);
      largestInterpreterGap = Math.max(largestInterpreterGap, maxAbsDifference(c, interpreted));

      expect(c).toEqual(Array.from(runReference(exported.result.prepared, [input])[0]));
    }
    interpreter.dispose();
    console.log(`96x96 int8: largest C vs interpreter difference on held-out photos: ${largestInterpreterGap} steps`);
    expect(readFileSync(path.join(exported.dir, 'report.json'), 'utf8')).toContain('nano33ble');
    expect(existsSync(path.join(exported.dir, 'arduino'))).toBe(true);
  });
});
