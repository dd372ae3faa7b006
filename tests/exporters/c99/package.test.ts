import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { resolveBoard } from '../../../models/exporters/c99/boards.js';
import { exportC99 } from '../../../models/exporters/c99/export.js';
import { packRgb565, preprocessFrame } from '../../../models/exporters/c99/preprocess-frame.js';
import { testDataDir } from '../../../models/paths.js';
import { decodeBmp } from '../../../models/images/bmp.js';
import { lastJsonLine, runCli } from '../../cli/run-cli.js';
import { SoftmaxOptionsT } from '../../../models/tflite/schema/gen/tflite_generated.js';
import { buildArduinoExample, referenceModel, STRICT_CFLAGS } from './helpers.js';
import { buildTflite } from './tflite-builder.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const KERNEL_DIR = path.join(HERE, '../../../models/exporters/c99/kernels');
const PERSON_DETECT = referenceModel('person_detect/person_detect.tflite');
const PERSON_IMAGE = referenceModel('person_detect/testdata/person.bmp');

describe('Arduino example', () => {
  it('compiles on the host and prints the label', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'et-c99-ino-'));
    const labels = readFileSync(referenceModel('person_detect/labels.txt'), 'utf8').trim().split('\n');
    // TFLite Micro's person_detect test feeds the BMP's gray bytes as int8 values, and so does this one.
    const decoded = decodeBmp(readFileSync(PERSON_IMAGE));
    const exampleInput = { bytes: Uint8Array.from({ length: 96 * 96 }, (_, i) => decoded.data[i * 3]), description: 'person.bmp pixel bytes as int8' };
    await exportC99(readFileSync(PERSON_DETECT), PERSON_DETECT, { outDir: dir, board: resolveBoard('nano33ble'), format: 'arduino', labels, exampleInput });
    const program = buildArduinoExample(dir);
    const output = execFileSync(program, { encoding: 'utf8' });
    expect(output).toContain('label: person');
    expect(readFileSync(path.join(dir, 'library.properties'), 'utf8')).toContain('name=EdgeTrainerModel');
  });
});

describe('labels in C', () => {
  it('UTF-8, quotes and trigraphs survive as C strings', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'et-c99-labels-'));
    const model = referenceModel('micro_speech/micro_speech_quantized.tflite');
    // Under -std=c99, "??/" and "??!" would be trigraphs for a backslash and a bar.
    const labels = ['貓咪', 'say "hi" \\ bye', 'huh??/', 'what??!'];
    await exportC99(readFileSync(model), model, { outDir: dir, board: resolveBoard('nano33ble'), labels });
    const program = path.join(dir, 'labels');
    writeFileSync(path.join(dir, 'labels.c'), '#include <stdio.h>\n#include "model.h"\nint main(void) { int i; for (i = 0; i < MODEL_LABEL_COUNT; ++i) printf("%s\\n", model_label(i)); return 0; }\n');
    const sources = ['model.c', 'labels.c', 'et_conv.c', 'et_depthwise_conv.c', 'et_fully_connected.c', 'et_pooling.c', 'et_mean.c', 'et_add.c', 'et_pad.c', 'et_softmax.c', 'et_quantize.c'];
    execFileSync('gcc', ['-std=c99', '-Wall', '-Wextra', '-Werror', '-O2', '-I', dir, ...sources.map((file) => path.join(dir, file)), '-o', program, '-lm']);
    expect(execFileSync(program, { encoding: 'utf8' }).split('\n').slice(0, 4)).toEqual(labels);
  });

  it('label count must match the outputs', async () => {
    const model = referenceModel('micro_speech/micro_speech_quantized.tflite');
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'et-c99-labels-')), 'pkg');
    await expect(exportC99(readFileSync(model), model, { outDir: out, board: resolveBoard('nano33ble'), labels: ['yes', 'no'] })).rejects.toThrow('has 4 outputs, but 2 labels were given');
  });

  it('labels.txt with indices, CRLF and a BOM', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'et-c99-labels-'));
    const model = path.join(dir, 'speech.tflite');
    copyFileSync(referenceModel('micro_speech/micro_speech_quantized.tflite'), model);
    writeFileSync(path.join(dir, 'labels.txt'), '\uFEFF0 silence\r\n1 unknown\r\n\r\n2 yes\r\n3 no\r\n');
    const run = runCli(['export', model, '--format', 'c', '--out', path.join(dir, 'pkg')]);
    expect(run.status, run.stderr).toBe(0);
    const source = readFileSync(path.join(dir, 'pkg', 'model.c'), 'utf8');
    expect(source).toContain('"silence",');
    expect(source).not.toContain('"0 silence"');
  });
});

describe('sample_input.bin', () => {
  it('float32 input gets every byte', async () => {
    const bytes = buildTflite({
      tensors: [
        { shape: [2, 10], type: 'FLOAT32' },
        { shape: [2, 10], type: 'INT8', scale: 0.11, zeroPoint: 6 },
        { shape: [2, 10], type: 'INT8', scale: 1 / 256, zeroPoint: -128 },
      ],
      operators: [
        { opcode: 'QUANTIZE', inputs: [0], outputs: [1] },
        { opcode: 'SOFTMAX', inputs: [1], outputs: [2], optionsType: 'SoftmaxOptions', options: new SoftmaxOptionsT(1) },
      ],
      inputs: [0],
      outputs: [2],
    });
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'et-c99-sample-')), 'pkg');
    await exportC99(bytes, 'float-input.tflite', { outDir: out, board: resolveBoard('nano33ble'), format: 'arduino' });
    const sample = path.join(out, 'extras', 'sample_input.bin');
    expect(readFileSync(sample)).toEqual(Buffer.alloc(2 * 10 * 4));
    execFileSync('make', ['-s', '-C', out, 'host', `CFLAGS=${STRICT_CFLAGS}`], { stdio: 'pipe' });
    // Real 0 everywhere: softmax gives each of the 10 classes 1/10, which is 26 - 128 at scale 1/256.
    const printed = execFileSync(path.join(out, 'run_model'), [sample], { encoding: 'utf8' }).split('\n').slice(0, 20);
    expect(printed).toEqual(Array<string>(20).fill('-102'));
  });
});

describe('camera preprocessing in C', () => {
  it('RGB565 frame gives the same int8 input as TS', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'et-c99-pre-'));
    // A real photo resized as a 160x120 camera frame (QQVGA), so the centre crop matters.
    const photo = path.join(testDataDir(), 'tm-tflite-keras/likedislike/images/Like.jpg');
    const { data, info } = await sharp(photo).resize(160, 120, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const frame = packRgb565(new Uint8Array(data), info.width, info.height);
    const frameFile = path.join(dir, 'frame.rgb565');
    writeFileSync(frameFile, new Uint8Array(frame.buffer));
    const harness = path.join(dir, 'preprocess');
    execFileSync('gcc', ['-std=c99', '-Wall', '-Wextra', '-Werror', '-O2', '-I', KERNEL_DIR, path.join(HERE, 'preprocess_check.c'), path.join(KERNEL_DIR, 'et_preprocess.c'), '-o', harness, '-lm']);
    for (const channels of [1, 3] as const) {
      const outFile = path.join(dir, `out-${channels}.bin`);
      execFileSync(harness, [frameFile, '160', '120', '96', String(channels), '0.007843137718737125', '-1', outFile]);
      const c = new Int8Array(readFileSync(outFile).buffer.slice(0));
      const ts = preprocessFrame({ width: 160, height: 120, format: 'rgb565', data: frame }, { size: 96, channels }, { scale: 0.007843137718737125, zeroPoint: -1, signed: true });
      expect(c.length).toBe(ts.length);
      expect(Array.from(c)).toEqual(Array.from(ts));
    }
  });
});

describe('export command', () => {
  it('c format writes the package and reports the fit', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'et-c99-cli-')), 'pkg');
    const run = runCli(['export', PERSON_DETECT, '--format', 'c', '--board', 'pico', '--sample', PERSON_IMAGE, '--out', out, '--json']);
    expect(run.status).toBe(0);
    const result = lastJsonLine(run.stdout) as { report: { fits: boolean; ram: { arenaBytes: number } } };
    expect(result.report.fits).toBe(true);
    expect(result.report.ram.arenaBytes).toBe(29952);
    expect(readFileSync(path.join(out, 'Makefile'), 'utf8')).toContain('host: run_model');
    expect(readFileSync(path.join(out, 'arduino/EdgeTrainerModel/examples/Classify/Classify.ino'), 'utf8')).toContain('preprocessed from person.bmp');
  });

  it('classifier folder converts through int8 TFLite', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'et-c99-cli-')), 'pkg');
    const model = path.join(testDataDir(), 'tm-exports/tiny-image-1');
    const calibration = path.join(testDataDir(), 'gestures/sign-language-digits');
    const run = runCli(['export', model, '--format', 'arduino', '--board', 'nano33ble', '--calibration', calibration, '--images-per-class', '2', '--out', out, '--json']);
    expect(run.status).toBe(0);
    const result = lastJsonLine(run.stdout) as { report: { fits: boolean } };
    expect(result.report.fits).toBe(true);
    expect(readFileSync(path.join(out, 'src/model.c'), 'utf8')).toContain('model_invoke');
    // The int8 report of the TFLite step comes first. This model's labels name no digit folder, so
    // no photo is labelled and the accuracy line is replaced by a note.
    expect(run.stderr).toContain('int8 model:');
    expect(run.stderr).toContain('Not enough labelled photos');
  });

  it('classifier folder without calibration exits 2', () => {
    const model = path.join(testDataDir(), 'tm-exports/tiny-image-1');
    const run = runCli(['export', model, '--format', 'c', '--out', path.join(tmpdir(), 'et-c99-never')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--calibration');
  });

  it('oversized model exits 3 with the shortfall', () => {
    const model = path.join(testDataDir(), 'tm-tflite-keras/fruit/converted_tflite_quantized/model.tflite');
    const run = runCli(['export', model, '--format', 'c', '--ram-kb', '256', '--flash-kb', '1024', '--out', path.join(tmpdir(), 'et-c99-never')]);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/RAM is [\d.]+ KB short/);
  });

  it('allow-oversize prints need and free space', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'et-c99-cli-')), 'pkg');
    const run = runCli(['export', PERSON_DETECT, '--format', 'c', '--ram-kb', '16', '--flash-kb', '100', '--allow-oversize', '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Does not fit on .*: the model needs [\d.]+ KB flash \(100\.0 KB free\) and [\d.]+ KB RAM \(16\.0 KB free\)\./);
    const chinese = runCli(['export', PERSON_DETECT, '--format', 'c', '--out', out], { LANG: 'zh_TW.UTF-8' });
    expect(chinese.status, chinese.stderr).toBe(0);
    expect(chinese.stdout).toMatch(/^可以放進 Arduino Nano 33 BLE Sense：模型需要/m);
  });

  it('damaged .tflite exits 3 naming the file', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'et-c99-cli-')), 'broken.tflite');
    writeFileSync(file, readFileSync(PERSON_DETECT).subarray(0, 4000));
    const run = runCli(['export', file, '--format', 'c', '--out', path.join(tmpdir(), 'et-c99-never')]);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(file);
  });

  it('image sample on an audio model exits 3', () => {
    const model = referenceModel('micro_speech/micro_speech_quantized.tflite');
    const run = runCli(['export', model, '--format', 'c', '--sample', PERSON_IMAGE, '--out', path.join(tmpdir(), 'et-c99-never')]);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('not a square int8 or uint8 image');
  });

  it('folder with other files exits 2', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'et-c99-cli-'));
    writeFileSync(path.join(out, 'notes.txt'), 'mine\n');
    const run = runCli(['export', PERSON_DETECT, '--format', 'c', '--out', out]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('not from an Edge Trainer C export (notes.txt)');
    expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine\n');
  });

  it('second export replaces the first', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'et-c99-cli-')), 'pkg');
    expect(runCli(['export', PERSON_DETECT, '--format', 'c', '--out', out]).status).toBe(0);
    expect(runCli(['export', PERSON_DETECT, '--format', 'arduino', '--out', out]).status).toBe(0);
    expect(existsSync(path.join(out, 'src', 'model.c'))).toBe(true);
    expect(existsSync(path.join(out, 'model.c'))).toBe(false);
    expect(existsSync(path.join(out, 'arduino'))).toBe(false);
  });

  it('earlier export with a user file is kept', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'et-c99-cli-')), 'pkg');
    expect(runCli(['export', PERSON_DETECT, '--format', 'arduino', '--out', out]).status).toBe(0);
    const copy = path.join(out, 'person_detect.tflite');
    writeFileSync(copy, readFileSync(PERSON_DETECT));
    const run = runCli(['export', copy, '--format', 'arduino', '--out', out]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('(person_detect.tflite)');
    expect(existsSync(copy)).toBe(true);
  });

  it('unknown board exits 2', () => {
    const run = runCli(['export', PERSON_DETECT, '--format', 'c', '--board', 'uno', '--out', path.join(tmpdir(), 'et-c99-never')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('nano33ble');
  });
});
