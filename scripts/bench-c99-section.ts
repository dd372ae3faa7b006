// The C export section of docs/benchmarks.md. TFLite Micro's person_detect and Edge Trainer's own
// 96x96 grayscale int8 model are compiled to C and measured in arena bytes, flash bytes and the
// instructions of one inference. valgrind's callgrind counts those, which stay stable on a busy machine.

import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { initBackend } from '../models/backend.js';
import { loadClassifier } from '../models/classifier/load.js';
import { buildTflite } from '../models/exporters/tflite/export.js';
import { loadImageInput } from '../models/images/preprocess.js';
import { testDataDir } from '../models/paths.js';
import { type C99BenchReport, measureC99 } from './bench-c99.js';

/** TFLite Micro's arena for person_detect with its reference kernels, and the activation peak inside it. */
const TFLM_PERSON_DETECT_ARENA = 85_232;
const TFLM_PERSON_DETECT_ACTIVATIONS = 55_296;
const CALIBRATION_PER_CLASS = 4;

/** Quantizes Teachable Machine's 96x96 grayscale export to int8 on sign-language photos of every class. */
async function tinyInt8Model(): Promise<Uint8Array> {
  await initBackend();
  const classifier = await loadClassifier(path.join(testDataDir(), 'tm-exports', 'tiny-image-1'));
  const photos = path.join(testDataDir(), 'gestures', 'sign-language-digits');
  const calibration: Float32Array[] = [];
  for (const label of (await readdir(photos, { withFileTypes: true })).filter((entry) => entry.isDirectory())) {
    const files = (await readdir(path.join(photos, label.name))).filter((name) => /\.jpe?g$/i.test(name)).sort();
    for (const file of files.slice(0, CALIBRATION_PER_CLASS)) calibration.push(await loadImageInput(path.join(photos, label.name, file), classifier.input));
  }
  const built = await buildTflite(classifier.model, classifier.labels, { variant: 'int8', calibration });
  classifier.model.dispose();
  return built.bytes;
}

function row(name: string, report: C99BenchReport): string {
  const number = (value: number) => value.toLocaleString('en-US');
  return `| ${name} | ${number(report.arenaBytes)} | ${number(report.arenaBytesWithoutRowStreaming)} | ${number(report.tflmArenaEstimate)} | ${number(report.flashBytesEstimate)} | ${number(report.macs)} | ${(report.instructionsPerInference / 1e6).toFixed(1)} M |`;
}

export async function c99Section(): Promise<string[]> {
  const personDetectFile = path.join(testDataDir(), 'tflite-reference', 'person_detect', 'person_detect.tflite');
  const personDetect = await measureC99(new Uint8Array(await readFile(personDetectFile)), personDetectFile);
  const tiny = await measureC99(await tinyInt8Model(), 'tiny-image-1 int8');
  const share = (100 * personDetect.arenaBytes) / TFLM_PERSON_DETECT_ARENA;
  return [
    '## C export (no interpreter)',
    '',
    'Each int8 model compiled to C99 by `edge-trainer export --format c`, built for the host with gcc -O2; instructions',
    'are those of one `model_invoke()` on an all-zero input, counted by valgrind callgrind. Flash is the exporter\'s',
    'estimate (constant arrays exact, kernel code estimated). The TFLite Micro arena column is the exporter\'s estimate',
    `of what TFLite Micro would need; TFLite Micro reports ${TFLM_PERSON_DETECT_ARENA.toLocaleString('en-US')} bytes for person_detect with its`,
    `reference kernels, of which ${TFLM_PERSON_DETECT_ACTIVATIONS.toLocaleString('en-US')} bytes are the two largest activation tensors alive together.`,
    '',
    '| model | arena bytes | arena without row streaming | TFLite Micro arena (estimate) | flash bytes | MACs | instructions |',
    '|---|---:|---:|---:|---:|---:|---:|',
    row('person_detect (TFLite Micro example)', personDetect),
    row("Teachable Machine's tiny-image-1, int8 by Edge Trainer", tiny),
    '',
    `person_detect's arena is ${share.toFixed(0)}% of TFLite Micro's (target: at most 60%). Row streaming keeps only the rows of a`,
    'convolution output that the next convolution still needs, so each value is still computed once and outputs stay',
    'bit-exact with the reference kernels.',
  ];
}
