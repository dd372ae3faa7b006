import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveBoard } from '../../../models/exporters/c99/boards.js';
import { compileTflite, exportC99 } from '../../../models/exporters/c99/export.js';
import { findPlanConflicts, peakLiveBytes, planMemory } from '../../../models/exporters/c99/planner.js';
import { initBackend } from '../../../models/backend.js';
import { loadClassifier } from '../../../models/classifier/load.js';
import { loadCalibrationFolder } from '../../../models/exporters/tflite/calibration-set.js';
import { buildTflite } from '../../../models/exporters/tflite/export.js';
import { loadImageInput } from '../../../models/images/preprocess.js';
import { testDataDir } from '../../../models/paths.js';
import { runReference } from '../../../models/reference/graph.js';
import { affineQuantize } from '../../../models/reference/Quantize.js';
import { decodeBmp } from '../../../models/images/bmp.js';
import { TfliteInterpreter } from '../../../models/tflite/interpreter.js';
import { exportAndBuild, maxAbsDifference, randomInput, referenceModel } from './helpers.js';
import { interpreterOperatorGaps } from './interpreter-steps.js';

const PERSON_DETECT = referenceModel('person_detect/person_detect.tflite');
const MICRO_SPEECH = referenceModel('micro_speech/micro_speech_quantized.tflite');
const HELLO_WORLD = referenceModel('hello_world/hello_world_int8.tflite');
const FRUIT = path.join(testDataDir(), 'tm-tflite-keras/fruit/converted_tflite_quantized/model.tflite');

async function interpreterOutput(file: string, input: Int8Array | Uint8Array): Promise<ArrayLike<number>> {
  const interpreter = await TfliteInterpreter.create(readFileSync(file), file);
  try {
    return interpreter.run([input])[0];
  } finally {
    interpreter.dispose();
  }
}

/**
 * Person detection test image as TFLite Micro's own test feeds it: the BMP's 8-bit gray pixel
 * bytes reinterpreted as int8 (the file stores the int8 input in two's complement).
 */
function personDetectInput(image: 'person' | 'no_person'): Int8Array {
  const decoded = decodeBmp(readFileSync(referenceModel(`person_detect/testdata/${image}.bmp`)));
  const gray = Uint8Array.from({ length: decoded.width * decoded.height }, (_, i) => decoded.data[i * 3]);
  return new Int8Array(gray.buffer);
}

describe('C export on reference models', () => {
  it('hello_world: C equals TS reference and interpreter', async () => {
    const built = await exportAndBuild(HELLO_WORLD);
    for (let value = -128; value < 128; value += 17) {
      const input = Int8Array.of(value);
      const c = built.run(input).values;
      expect(c).toEqual(Array.from(runReference(built.result.prepared, [input])[0]));
      expect(maxAbsDifference(c, await interpreterOutput(HELLO_WORLD, input))).toBeLessThanOrEqual(1);
    }
  });

  it('micro_speech: C equals TS reference and interpreter', async () => {
    const built = await exportAndBuild(MICRO_SPEECH, { labels: readFileSync(referenceModel('micro_speech/labels.txt'), 'utf8').trim().split('\n') });
    for (const seed of [1, 2, 3]) {
      const input = randomInput(1960, seed);
      const c = built.run(input).values;
      expect(c).toEqual(Array.from(runReference(built.result.prepared, [input])[0]));
      expect(maxAbsDifference(c, await interpreterOutput(MICRO_SPEECH, input))).toBeLessThanOrEqual(1);
    }
  });

  it('person_detect: C equals TS reference on test images', async () => {
    const built = await exportAndBuild(PERSON_DETECT);
    const scores: Record<string, number[]> = {};
    for (const image of ['person', 'no_person'] as const) {
      const input = personDetectInput(image);
      scores[image] = built.run(input).values;
      expect(scores[image]).toEqual(Array.from(runReference(built.result.prepared, [input])[0]));
    }
    // Output order is [not a person, person], as in the TFLite Micro example.
    expect(scores.person[1]).toBeGreaterThan(scores.person[0]);
    expect(scores.no_person[0]).toBeGreaterThan(scores.no_person[1]);
  });

  it('person_detect: interpreter rejects the per-channel bias', async () => {
    // The bias tensors store quantized_dimension 3 on a 1-D tensor, which the WebAssembly
    // interpreter refuses and TFLite Micro accepts, so person_detect is checked against TS only.
    await expect(TfliteInterpreter.create(readFileSync(PERSON_DETECT), PERSON_DETECT)).rejects.toThrow(/rejected/);
  });

  it('person_detect: row streaming cuts the arena below 60% of TFLite Micro', async () => {
    const built = await exportAndBuild(PERSON_DETECT);
    const run = built.run(personDetectInput('person'));
    // TFLite Micro needs 85,232 bytes; 60% of that is 51,139.
    expect(run.arenaBytes).toBeLessThanOrEqual(51139);
    expect(run.arenaBytes).toBe(29952);
    expect(run.flashBytes).toBe(built.result.report.flash.totalBytes);
  });

  it('person_detect: plain plan is the two-tensor peak', () => {
    const { prepared } = compileTflite(readFileSync(PERSON_DETECT), PERSON_DETECT);
    // 48x48x8 input and 48x48x16 output of the first pointwise convolution: 18,432 + 36,864 bytes.
    expect(planMemory(prepared).arenaBytes).toBe(55296);
  });

  it('Teachable Machine int8 model: C equals TS reference and interpreter', async () => {
    const built = await exportAndBuild(FRUIT);
    const real = await loadImageInput(path.join(testDataDir(), 'tm-tflite-keras/likedislike/images/Like.jpg'), { size: 224, channels: 3 });
    // Input is uint8 with scale 1/255 and zero point 0: the 0..255 pixel range.
    const input = Uint8Array.from(real, (value) => affineQuantize((value + 1) * 127.5, 1, 0, 0, 255));
    const c = built.run(input).values;
    expect(c).toEqual(Array.from(runReference(built.result.prepared, [input])[0]));
    expect(maxAbsDifference(c, await interpreterOutput(FRUIT, input))).toBeLessThanOrEqual(1);
    for (const gap of await interpreterOperatorGaps(readFileSync(FRUIT), [[input]], FRUIT)) expect(gap.steps, `operator ${gap.index} (${gap.opcode})`).toBeLessThanOrEqual(1);
  });
});

describe('C export of Edge Trainer int8 models', () => {
  it('MobileNetV2 224 from the TFLite exporter: C equals TS and interpreter', async () => {
    await initBackend('wasm');
    const classifier = await loadClassifier(path.join(testDataDir(), 'tm-exports/image-1'));
    const calibration = await loadCalibrationFolder(path.join(testDataDir(), 'gestures/sign-language-digits'), classifier.input, { imagesPerClass: 2 });
    const built = await buildTflite(classifier.model, classifier.labels, { variant: 'int8', calibration: calibration.inputs });
    classifier.model.dispose();
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'et-c99-tm-')), 'image-1-int8.tflite');
    writeFileSync(file, built.bytes);

    const exported = await exportAndBuild(file);
    const input = randomInput(224 * 224 * 3, 5);
    const c = exported.run(input).values;
    expect(c).toEqual(Array.from(runReference(exported.result.prepared, [input])[0]));
    expect(maxAbsDifference(c, await interpreterOutput(file, input))).toBeLessThanOrEqual(1);
    for (const gap of await interpreterOperatorGaps(built.bytes, [[input]], file)) expect(gap.steps, `operator ${gap.index} (${gap.opcode})`).toBeLessThanOrEqual(1);
    // Row streaming runs whole chains of convolutions here, which more than halves the arena.
    expect(exported.result.generated.longestChain).toBeGreaterThan(2);
    expect(exported.result.generated.plan.arenaBytes).toBeLessThan(planMemory(exported.result.prepared).arenaBytes / 2);

    const sanitized = await exportAndBuild(file, {}, '-std=c99 -Wall -Wextra -Werror -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all');
    expect(sanitized.run(input).values).toEqual(c);
  });
});

describe('C export memory plan', () => {
  for (const file of [HELLO_WORLD, MICRO_SPEECH, PERSON_DETECT, FRUIT]) {
    it(`${path.basename(file)}: no live tensors overlap`, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'et-c99-plan-'));
      const { generated, prepared } = await exportC99(readFileSync(file), file, { outDir: dir, board: resolveBoard('esp32s3'), allowOversize: true });
      expect(findPlanConflicts(generated.plan)).toEqual([]);
      expect(findPlanConflicts(planMemory(prepared))).toEqual([]);
      expect(generated.plan.arenaBytes).toBeGreaterThanOrEqual(peakLiveBytes(generated.plan, prepared.ops.length));
    });
  }

  it('micro_speech: RESHAPE shares its input buffer', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'et-c99-plan-'));
    const { generated, prepared } = await exportC99(readFileSync(MICRO_SPEECH), MICRO_SPEECH, { outDir: dir, board: resolveBoard('esp32s3') });
    const reshape = prepared.ops.find((op) => op.opcode === 'RESHAPE')!;
    expect(generated.plan.offsets.get(reshape.outputs[0])).toBe(generated.plan.offsets.get(reshape.inputs[0]));
  });

  it('person_detect: runs clean under AddressSanitizer and UBSan', async () => {
    const built = await exportAndBuild(PERSON_DETECT, {}, '-std=c99 -Wall -Wextra -Werror -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all');
    const input = personDetectInput('person');
    expect(built.run(input).values).toEqual(Array.from(runReference(built.result.prepared, [input])[0]));
  });

  it('micro_speech: runs clean under valgrind memcheck', async () => {
    const built = await exportAndBuild(MICRO_SPEECH, {}, '-std=c99 -Wall -Wextra -Werror -O1 -g');
    const input = randomInput(1960, 9);
    const run = built.run(input, ['valgrind', '--quiet', '--error-exitcode=3', '--leak-check=full']);
    expect(run.values).toEqual(Array.from(runReference(built.result.prepared, [input])[0]));
  });
});

describe('C export errors', () => {
  it('unsupported operator is named', async () => {
    const file = referenceModel('micro_speech/audio_preprocessor_int8.tflite');
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'et-c99-err-')), 'out');
    await expect(exportC99(readFileSync(file), file, { outDir: dir, board: resolveBoard('nano33ble') })).rejects.toThrow(/operator \d+ \((CUSTOM|CAST|DIV|MUL|STRIDED_SLICE|MAXIMUM|MINIMUM)/);
    expect(existsSync(dir)).toBe(false);
  });

  it('oversized model says by how much and writes nothing', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'et-c99-err-')), 'out');
    const failure = exportC99(readFileSync(FRUIT), FRUIT, { outDir: dir, board: resolveBoard('nano33ble') });
    await expect(failure).rejects.toThrow(/RAM is [\d.]+ KB short/);
    await expect(exportC99(readFileSync(FRUIT), FRUIT, { outDir: dir, board: resolveBoard('nano33ble') })).rejects.toMatchObject({ hint: expect.stringMatching(/96x96/) });
    expect(existsSync(dir)).toBe(false);
  });

  it('output path that is a file is rejected', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'et-c99-err-')), 'taken');
    writeFileSync(file, 'keep me');
    await expect(exportC99(readFileSync(HELLO_WORLD), HELLO_WORLD, { outDir: file, board: resolveBoard('nano33ble') })).rejects.toThrow(/is a file/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('custom board needs both sizes', () => {
    expect(() => resolveBoard(undefined, { flashKb: 512 })).toThrow(/--flash-kb and --ram-kb/);
  });

  it('unknown board lists the known ones', () => {
    expect(() => resolveBoard('uno')).toThrow(/Unknown board "uno"/);
  });
});

describe('C export package', () => {
  it('person_detect on nano33ble: report, READMEs and TFLite Micro files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'et-c99-pkg-'));
    const labels = readFileSync(referenceModel('person_detect/labels.txt'), 'utf8').trim().split('\n');
    const result = await exportC99(readFileSync(PERSON_DETECT), PERSON_DETECT, { outDir: dir, board: resolveBoard('nano33ble'), labels });
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(report.fits).toBe(true);
    expect(report.ram.arenaBytes).toBe(29952);
    expect(report.macs).toBe(result.generated.macs);
    expect(readFileSync(path.join(dir, 'README.zh-TW.md'), 'utf8')).toContain('可以放進 Arduino Nano 33 BLE Sense');
    expect(readFileSync(path.join(dir, 'tflm/op_resolver.h'), 'utf8')).toContain('resolver.AddDepthwiseConv2D()');
    expect(readFileSync(path.join(dir, 'tflm/op_resolver.h'), 'utf8')).toContain('MicroMutableOpResolver<5>');
    expect(result.tflmArenaEstimate).toBeGreaterThanOrEqual(85232);
    execFileSync('g++', ['-std=c++11', '-Wall', '-Werror', '-c', path.join(dir, 'tflm/model_data.cc'), '-o', path.join(dir, 'model_data.o')]);
    expect(readdirSync(path.join(dir, 'arduino/EdgeTrainerModel/src'))).toContain('model.c');
  });
});
