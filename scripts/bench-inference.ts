// Benchmark of the base-embedding paths: onnxruntime-node, tfjs wasm and tfjs cpu, measured in one
// process on the same preprocessed photos. Prints ms/image at each batch size, then the time to
// embed every gesture photo per path and the largest difference from the tfjs wasm embeddings.
// Usage: npx tsx scripts/bench-inference.ts [--base ID|all] [--paths onnx,wasm,cpu] [--dataset-paths onnx,wasm,cpu]
//   [--batches 1,16] [--images N] [--json FILE]
// tfjs cpu needs about 1 s per MobileNetV2 image on 2 cores, so its 360-photo run takes minutes.

import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { activeBackend, initBackend } from '../models/backend.js';
import { BASES } from '../models/bases/registry.js';
import { type InputSpec, loadImageInput } from '../models/images/preprocess.js';
import { DEFAULT_EMBEDDING_BATCH } from '../models/embeddings/compute.js';
import type { Embedder } from '../models/embeddings/embedder.js';
import { createTfjsEmbedder } from '../models/embeddings/tfjs-embedder.js';
import { embedInBatches } from '../models/inference/image-batch.js';
import { OnnxEmbedder } from '../models/inference/onnx-embedder.js';
import { testDataDir } from '../models/paths.js';

export const INFERENCE_PATHS = ['onnx', 'wasm', 'cpu'] as const;
export type InferencePath = (typeof INFERENCE_PATHS)[number];

export interface InferenceBenchOptions {
  baseIds: string[];
  paths: InferencePath[];
  /** Paths that also embed every gesture photo; a subset of `paths`. */
  datasetPaths: InferencePath[];
  batchSizes: number[];
  /** Images per timed measurement at each batch size; at least one batch is always timed. */
  imagesPerMeasurement: number;
  /** Prints one line of progress or result. */
  print: (line: string) => void;
}

export interface BatchTiming {
  baseId: string;
  path: InferencePath;
  runtime: string;
  batchSize: number;
  msPerImage: number;
}

export interface DatasetTiming {
  baseId: string;
  path: InferencePath;
  images: number;
  seconds: number;
  msPerImage: number;
  /** Largest absolute difference from the tfjs wasm embeddings, or null without a wasm run. */
  maxDifferenceFromWasm: number | null;
}

export interface StartupTiming {
  baseId: string;
  path: InferencePath;
  /** Time to create the embedder: for onnx, base verification plus the cached graph (or its export) and the session. */
  ms: number;
}

export interface InferenceBenchReport {
  machine: string;
  startups: StartupTiming[];
  batches: BatchTiming[];
  datasets: DatasetTiming[];
}

/** Images per embed call in the whole-dataset run, as training's computeEmbeddings passes them. */
const DATASET_BATCH_SIZE = DEFAULT_EMBEDDING_BATCH;

function gesturePhotoFiles(): string[] {
  const root = path.join(testDataDir(), 'gestures/sign-language-digits');
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .flatMap((name) => readdirSync(path.join(root, name)).sort().map((file) => path.join(root, name, file)));
}

async function preprocess(files: string[], spec: InputSpec): Promise<Float32Array> {
  const imageLength = spec.size * spec.size * spec.channels;
  const batch = new Float32Array(files.length * imageLength);
  for (const [index, file] of files.entries()) batch.set(await loadImageInput(file, spec), index * imageLength);
  return batch;
}

async function openEmbedder(baseId: string, inferencePath: InferencePath): Promise<Embedder> {
  if (inferencePath === 'onnx') return OnnxEmbedder.create(baseId);
  await initBackend(inferencePath);
  return createTfjsEmbedder(baseId);
}

/** Times `embed` on `batchSize` images: two untimed warm-up runs, then enough runs for `imagesPerMeasurement` images. */
async function timeBatch(embedder: Embedder, images: Float32Array, imageLength: number, batchSize: number, imagesPerMeasurement: number): Promise<number> {
  const batch = images.subarray(0, batchSize * imageLength);
  for (let warmUp = 0; warmUp < 2; warmUp++) await embedder.embed(batch, batchSize);
  const runs = Math.max(1, Math.ceil(imagesPerMeasurement / batchSize));
  const start = performance.now();
  for (let run = 0; run < runs; run++) await embedder.embed(batch, batchSize);
  return (performance.now() - start) / (runs * batchSize);
}

function maxAbsDifference(actual: Float32Array, expected: Float32Array): number {
  let max = 0;
  for (let index = 0; index < actual.length; index++) max = Math.max(max, Math.abs(actual[index] - expected[index]));
  return max;
}

export async function runInferenceBench(options: InferenceBenchOptions): Promise<InferenceBenchReport> {
  const report: InferenceBenchReport = {
    machine: `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores available, load average ${os.loadavg()[0].toFixed(2)} at start`,
    startups: [],
    batches: [],
    datasets: [],
  };
  const files = gesturePhotoFiles();
  options.print(`machine: ${report.machine}`);

  for (const baseId of options.baseIds) {
    const spec = BASES[baseId].input;
    const imageLength = spec.size * spec.size * spec.channels;
    const decodeStart = performance.now();
    const images = await preprocess(files, spec);
    options.print(`${baseId}: decoded and preprocessed ${files.length} photos in ${((performance.now() - decodeStart) / 1000).toFixed(1)} s`);

    // wasm runs first so that the other paths are compared with its embeddings.
    const order = [...options.paths].sort((a, b) => Number(b === 'wasm') - Number(a === 'wasm'));
    let wasmEmbeddings: Float32Array | undefined;
    for (const inferencePath of order) {
      const openStart = performance.now();
      const embedder = await openEmbedder(baseId, inferencePath);
      report.startups.push({ baseId, path: inferencePath, ms: performance.now() - openStart });
      const runtime = inferencePath === 'onnx' ? 'onnxruntime' : `tfjs-${activeBackend() ?? 'unknown'}`;
      for (const batchSize of options.batchSizes) {
        const msPerImage = await timeBatch(embedder, images, imageLength, Math.min(batchSize, files.length), options.imagesPerMeasurement);
        report.batches.push({ baseId, path: inferencePath, runtime: runtime, batchSize, msPerImage });
        options.print(`${baseId} ${runtime} batch ${batchSize}: ${msPerImage.toFixed(2)} ms/image`);
      }

      if (!options.datasetPaths.includes(inferencePath)) {
        embedder.dispose();
        continue;
      }
      const start = performance.now();
      const embeddings = await embedInBatches(embedder, images, files.length, DATASET_BATCH_SIZE);
      const seconds = (performance.now() - start) / 1000;
      if (inferencePath === 'wasm') wasmEmbeddings = embeddings;
      const difference = wasmEmbeddings === undefined ? null : maxAbsDifference(embeddings, wasmEmbeddings);
      report.datasets.push({ baseId, path: inferencePath, images: files.length, seconds, msPerImage: (seconds * 1000) / files.length, maxDifferenceFromWasm: difference });
      options.print(`${baseId} ${runtime}: ${files.length} photos in ${seconds.toFixed(2)} s, max difference from wasm ${difference === null ? 'n/a' : difference.toExponential(2)}`);
      embedder.dispose();
    }
  }
  return report;
}

/** Formats the report as two Markdown tables. */
export function formatInferenceReport(report: InferenceBenchReport): string {
  const lines = [`Machine: ${report.machine}`, '', '| base | path | embedder start ms |', '| --- | --- | ---: |'];
  for (const row of report.startups) lines.push(`| ${row.baseId} | ${row.path} | ${row.ms.toFixed(0)} |`);
  lines.push('', '| base | runtime | batch | ms/image |', '| --- | --- | ---: | ---: |');
  for (const row of report.batches) lines.push(`| ${row.baseId} | ${row.runtime} | ${row.batchSize} | ${row.msPerImage.toFixed(2)} |`);
  lines.push('', '| base | path | photos | seconds | ms/image | speed-up over wasm | max diff from wasm |', '| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const row of report.datasets) {
    const wasm = report.datasets.find((other) => other.baseId === row.baseId && other.path === 'wasm');
    const ratio = wasm === undefined ? undefined : wasm.seconds / row.seconds;
    const speedUp = ratio === undefined ? 'n/a' : `${ratio.toFixed(ratio < 1 ? 3 : 1)}x`;
    const difference = row.maxDifferenceFromWasm === null ? 'n/a' : row.maxDifferenceFromWasm.toExponential(2);
    lines.push(`| ${row.baseId} | ${row.path} | ${row.images} | ${row.seconds.toFixed(2)} | ${row.msPerImage.toFixed(2)} | ${speedUp} | ${difference} |`);
  }
  return lines.join('\n');
}

function parseList(value: string | undefined, fallback: string[]): string[] {
  return value === undefined ? fallback : value.split(',').map((item) => item.trim()).filter(Boolean);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      base: { type: 'string', default: 'mobilenet-v2-224' },
      paths: { type: 'string' },
      'dataset-paths': { type: 'string' },
      batches: { type: 'string' },
      images: { type: 'string', default: '64' },
      json: { type: 'string' },
    },
  });
  const baseIds = values.base === 'all' ? Object.keys(BASES) : [values.base];
  const paths = parseList(values.paths, [...INFERENCE_PATHS]);
  const datasetPaths = parseList(values['dataset-paths'], paths);
  const unknownBase = baseIds.find((id) => !(id in BASES));
  const unknownPath = [...paths, ...datasetPaths].find((name) => !(INFERENCE_PATHS as readonly string[]).includes(name));
  const batchSizes = parseList(values.batches, ['1', '16']).map(Number);
  const imagesPerMeasurement = Number(values.images);
  if (unknownBase !== undefined || unknownPath !== undefined || batchSizes.some((size) => !Number.isInteger(size) || size < 1) || !(imagesPerMeasurement >= 1)) {
    console.error(`bench-inference: invalid option (--base ${Object.keys(BASES).join('|')}|all, --paths and --dataset-paths from ${INFERENCE_PATHS.join(',')}, --batches and --images positive integers).`);
    process.exit(2);
  }

  const report = await runInferenceBench({
    baseIds,
    paths: paths as InferencePath[],
    datasetPaths: datasetPaths as InferencePath[],
    batchSizes,
    imagesPerMeasurement,
    print: (line) => console.error(line),
  });
  console.log(formatInferenceReport(report));
  if (values.json !== undefined) await writeFile(values.json, JSON.stringify(report, null, 2));
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
