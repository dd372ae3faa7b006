// `npm run bench`: measures Edge Trainer on this machine and writes docs/benchmarks.md
// (`npm run bench -- --only train` prints one section instead).
// Each benchmark is one entry of BENCHMARKS and returns a markdown section; to add one, write a
// function and add a line there. Measurements run in child processes (`--worker NAME`), so every
// backend starts fresh and peak memory (max RSS) belongs to that measurement alone.

import { spawnSync } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { BACKEND_NAMES, type BackendName, initBackend } from '../models/backend.js';
import { DEFAULT_BASE_ID } from '../models/bases/registry.js';
import { getBaseInfo } from '../models/bases/load.js';
import { createEmbedder } from '../models/embeddings/embedder.js';
import { loadImageInput } from '../models/images/preprocess.js';
import { PROJECT_ROOT, testDataDir } from '../models/paths.js';
import { c99Section } from './bench-c99-section.js';
import { tfliteSection, tfliteWorker } from './bench-tflite.js';

const OUTPUT = path.join(PROJECT_ROOT, 'docs', 'benchmarks.md');
const EMBEDDING_BATCH = 16;
/** Timed batches per backend after one warm-up batch; the cpu backend is about 13x slower than wasm. */
const TIMED_BATCHES: Readonly<Record<BackendName, number>> = Object.freeze({ onnx: 20, 'tfjs-node': 10, wasm: 5, cpu: 2 });

interface WorkerResult {
  [key: string]: unknown;
  maxRssMiB: number;
}

function photosDir(): string {
  return path.join(testDataDir(), 'gestures', 'sign-language-digits');
}

async function listPhotos(): Promise<string[]> {
  const files: string[] = [];
  for (const label of (await readdir(photosDir())).sort()) {
    if (label.startsWith('.') || label.endsWith('.md')) continue;
    for (const file of (await readdir(path.join(photosDir(), label))).sort()) files.push(path.join(photosDir(), label, file));
  }
  return files;
}

function maxRssMiB(): number {
  // resourceUsage().maxRSS is in kilobytes on Linux and macOS.
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

// ---- workers: run inside a child process and print one JSON line ----

async function embedWorker(backend: string): Promise<WorkerResult> {
  const active = await initBackend(backend);
  const info = getBaseInfo(DEFAULT_BASE_ID);
  const batches = TIMED_BATCHES[active] + 1;
  const files = (await listPhotos()).slice(0, batches * EMBEDDING_BATCH);
  const inputLength = info.input.size * info.input.size * info.input.channels;

  const decodeStart = performance.now();
  const inputs = new Float32Array(files.length * inputLength);
  for (const [index, file] of files.entries()) inputs.set(await loadImageInput(file, info.input), index * inputLength);
  const decodeMs = performance.now() - decodeStart;

  const embedder = await createEmbedder(DEFAULT_BASE_ID, active === 'onnx' ? 'onnx' : 'tfjs');
  const batchInputs = (batch: number) => inputs.subarray(batch * EMBEDDING_BATCH * inputLength, (batch + 1) * EMBEDDING_BATCH * inputLength);
  await embedder.embed(batchInputs(0), EMBEDDING_BATCH);
  const start = performance.now();
  for (let batch = 1; batch < batches; batch++) await embedder.embed(batchInputs(batch), EMBEDDING_BATCH);
  const embedMs = performance.now() - start;
  embedder.dispose();
  return {
    backend: active,
    images: (batches - 1) * EMBEDDING_BATCH,
    embedMsPerImage: embedMs / ((batches - 1) * EMBEDDING_BATCH),
    decodeMsPerImage: decodeMs / files.length,
    tensorsLeft: tf.memory().numTensors,
    maxRssMiB: maxRssMiB(),
  };
}

async function trainWorker(backend: string): Promise<WorkerResult> {
  const { main } = await import('./cli/main.ts');
  const out = path.join(os.tmpdir(), `edge-trainer-bench-${process.pid}`);
  let stdout = '';
  const sink = { write: (text: string) => (stdout += text) };
  const quiet = { write: () => true };
  const start = performance.now();
  const argv = ['train', photosDir(), '--out', out, '--seed', '1', '--backend', backend, '--json'];
  const exitCode = await main(argv, { stdout: sink, stderr: quiet, env: process.env });
  const totalMs = performance.now() - start;
  const { rm } = await import('node:fs/promises');
  await rm(out, { recursive: true, force: true });
  if (exitCode !== 0) throw new Error(`train exited with ${exitCode}: ${stdout}`);
  const result = JSON.parse(stdout.trim().split('\n').pop() as string) as Record<string, unknown>;
  return { ...result, totalMs, maxRssMiB: maxRssMiB() };
}

/** Runs scripts/bench-inference.ts: every path and base, 360 photos on onnx and wasm (tfjs cpu would take minutes). */
async function inferenceWorker(): Promise<WorkerResult> {
  const { formatInferenceReport, runInferenceBench } = await import('./bench-inference.ts');
  const report = await runInferenceBench({
    baseIds: ['mobilenet-v2-224', 'mobilenet-v1-96-gray'],
    paths: ['onnx', 'wasm', 'cpu'],
    datasetPaths: ['onnx', 'wasm'],
    batchSizes: [1, 16],
    imagesPerMeasurement: 64,
    print: (line) => process.stderr.write(`${line}\n`),
  });
  return { markdown: formatInferenceReport(report), maxRssMiB: maxRssMiB() };
}

const WORKERS: Readonly<Record<string, (backend: string) => Promise<WorkerResult>>> = Object.freeze({
  embed: embedWorker,
  train: trainWorker,
  inference: inferenceWorker,
  tflite: async (backend) => ({ ...(await tfliteWorker(backend)), maxRssMiB: maxRssMiB() }),
});

/** Runs a worker in a fresh process; returns its result, or the reason it failed. */
type WorkerOutcome = { ok: true; result: WorkerResult } | { ok: false; error: string };

function runWorker(name: string, backend: string): WorkerOutcome {
  const script = fileURLToPath(import.meta.url);
  const tsx = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
  const child = spawnSync(tsx, [script, '--worker', name, '--backend', backend], { cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const lastLine = child.stdout.trim().split('\n').pop() ?? '';
  const parsed = lastLine.startsWith('{') ? (JSON.parse(lastLine) as WorkerResult & { error?: string }) : undefined;
  if (child.status !== 0 || parsed === undefined || parsed.error !== undefined) {
    const reason = parsed?.error ?? `exit code ${child.status}: ${child.stderr.trim().slice(-200)}`;
    return { ok: false, error: reason.split('\n')[0].slice(0, 200) };
  }
  return { ok: true, result: parsed };
}

// ---- sections: run in the parent and return markdown ----

function format(value: number, digits = 1): string {
  return value.toFixed(digits);
}

async function machineSection(): Promise<string[]> {
  const cpus = os.cpus();
  const busy = os.loadavg()[0] > cpus.length;
  return [
    '## Machine',
    '',
    `- CPU: ${cpus[0]?.model ?? 'unknown'}, ${cpus.length} logical cores`,
    `- Memory: ${format(os.totalmem() / 2 ** 30)} GiB`,
    `- OS: ${os.type()} ${os.release()} (${os.arch()})`,
    // Other work on the machine slows every number below, so the load at the start is recorded.
    `- Load average at start (1, 5, 15 min): ${os.loadavg().map((value) => format(value, 2)).join(', ')}`,
    `- Node.js ${process.versions.node}, TensorFlow.js ${tf.version.tfjs}`,
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
    ...(busy ? ['', `The 1-minute load average exceeded the ${cpus.length} cores when the run started, so the times below include waiting for a CPU. Rerun on an idle machine for clean numbers.`] : []),
  ];
}

async function inputSection(): Promise<string[]> {
  const photos = await listPhotos();
  return [
    '## Input',
    '',
    `- Photos: ${photos.length} JPEG hand-sign photos (Sign Language Digits dataset, 100x100 RGB, classes 0 to 5, 60 per class),`,
    '  read from EDGE_TRAINER_TEST_DATA/gestures/sign-language-digits.',
    `- Base: ${DEFAULT_BASE_ID} (MobileNetV2 alpha 0.35, 224x224 RGB input, 1280-value embedding).`,
    '- Training settings: Teachable Machine\'s defaults (Dense 100 relu + Dense softmax head, 50 epochs, batch 16,',
    '  learning rate 0.001, Adam, 15% of each class for validation), so results compare with Teachable Machine\'s.',
  ];
}

async function embeddingSection(): Promise<string[]> {
  const lines = [
    '## Embedding speed (batch 16)',
    '',
    'Time for the base to turn preprocessed 224x224 inputs into embeddings, per image, after one warm-up batch.',
    'Decoding and preprocessing (JPEG decode, centre crop, bilinear resize) are timed separately.',
    '',
    '| backend | images timed | embedding ms/image | decode + preprocess ms/image | peak RSS MiB |',
    '|---|---|---|---|---|',
  ];
  for (const backend of BACKEND_NAMES.filter((name) => name !== 'auto')) {
    const outcome = runWorker('embed', backend);
    if (!outcome.ok) {
      lines.push(`| ${backend} | not available: ${outcome.error.replace(/\|/g, '/')} | | | |`);
      continue;
    }
    const result = outcome.result;
    lines.push(`| ${backend} | ${result.images} | ${format(result.embedMsPerImage as number)} | ${format(result.decodeMsPerImage as number)} | ${result.maxRssMiB} |`);
  }
  return lines;
}

async function trainSection(): Promise<string[]> {
  const outcome = runWorker('train', 'auto');
  const lines = ['## `train` end to end', ''];
  if (!outcome.ok) return [...lines, `Failed: ${outcome.error}`];
  const result = outcome.result;
  return [
    ...lines,
    `\`edge-trainer train\` on all ${(result.trainCount as number) + (result.validationCount as number)} photos with Teachable Machine's defaults and --seed 1,`,
    'from reading the photos to the written model folder, with an empty embedding cache:',
    '',
    '| backend | total s | train photos | validation photos | train accuracy | validation accuracy | peak RSS MiB |',
    '|---|---|---|---|---|---|---|',
    `| ${result.backend} | ${format((result.totalMs as number) / 1000)} | ${result.trainCount} | ${result.validationCount} | ${format((result.trainAccuracy as number) * 100)}% | ${format((result.valAccuracy as number) * 100)}% | ${result.maxRssMiB} |`,
  ];
}

async function inferenceSection(): Promise<string[]> {
  const outcome = runWorker('inference', 'auto');
  const lines = ['## Base runtimes (onnxruntime, tfjs wasm, tfjs cpu)', ''];
  if (!outcome.ok) return [...lines, `Failed: ${outcome.error}`];
  return [
    ...lines,
    'ms/image of the base with global average pooling at batch 1 and 16, then all photos in calls of 16 images,',
    'with the largest difference from the tfjs wasm embeddings (scripts/bench-inference.ts).',
    '',
    outcome.result.markdown as string,
  ];
}

async function baselineSection(): Promise<string[]> {
  return [
    '## Baseline (not measured by this script)',
    '',
    'MobileNetV2-0.35 embedding time per image, measured separately on the 2-core development machine:',
    'tfjs wasm about 24 ms, tfjs cpu 325 ms, TensorFlow native 3.3 ms, TFLite with XNNPACK 1.5 ms (1 thread) and 0.9 ms (2 threads).',
  ];
}

interface Benchmark {
  id: string;
  run: () => Promise<string[]>;
}

/** The sections of docs/benchmarks.md, in order. */
export const BENCHMARKS: readonly Benchmark[] = Object.freeze([
  { id: 'machine', run: machineSection },
  { id: 'input', run: inputSection },
  { id: 'embedding', run: embeddingSection },
  { id: 'train', run: trainSection },
  { id: 'inference', run: inferenceSection },
  { id: 'tflite', run: async () => {
    const outcome = runWorker('tflite', 'auto');
    return tfliteSection(outcome.ok ? (outcome.result as unknown as Parameters<typeof tfliteSection>[0]) : { error: outcome.error });
  } },
  { id: 'c99', run: c99Section },
  { id: 'baseline', run: baselineSection },
]);

/** Runs the benchmarks; with `only`, runs those sections and prints them instead of writing the file. */
async function writeReport(only: string[] | undefined): Promise<void> {
  const sections: string[] = ['# Benchmarks', '', 'Generated by `npm run bench` (scripts/bench.ts); rerun it rather than editing this file.'];
  for (const benchmark of BENCHMARKS) {
    if (only && !only.includes(benchmark.id)) continue;
    process.stderr.write(`bench: ${benchmark.id}\n`);
    sections.push('', ...(await benchmark.run()));
  }
  if (only) {
    process.stdout.write(`${sections.join('\n')}\n`);
    return;
  }
  await writeFile(OUTPUT, `${sections.join('\n')}\n`);
  process.stderr.write(`bench: wrote ${OUTPUT}\n`);
}

const { values } = parseArgs({ options: { worker: { type: 'string' }, backend: { type: 'string', default: 'auto' }, only: { type: 'string', multiple: true } } });
if (values.worker) {
  const worker = WORKERS[values.worker];
  if (!worker) throw new Error(`bench: unknown worker "${values.worker}"; expected one of ${Object.keys(WORKERS).join(', ')}`);
  try {
    process.stdout.write(`${JSON.stringify(await worker(values.backend))}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
    process.exitCode = 1;
  }
} else {
  await writeReport(values.only);
}
