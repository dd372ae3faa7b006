// C export entry point: .tflite bytes in, a package folder out (C model, kernels, host Makefile,
// fit report, Arduino library, TensorFlow Lite Micro files, READMEs). The fit check runs before
// any file is written, so a model that does not fit leaves the output folder untouched.

import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EdgeTrainerError } from '../../errors.js';
import { replaceFolder, writeFileAtomic } from '../../io/atomic.js';
import { logger } from '../../log.js';
import { prepareGraph, type PreparedGraph } from '../../reference/graph.js';
import { readTflite, type TfliteModel } from '../../tflite/reader.js';
import {
  ARDUINO_EXAMPLE_NAME,
  ARDUINO_LIBRARY_NAME,
  renderExampleSketch,
  renderLibraryHeader,
  renderLibraryProperties,
  type ExampleInput,
} from './arduino.js';
import type { BoardSpec } from './boards.js';
import { C_TYPE_BYTES, C_TYPES } from './c-source.js';
import { assertFits, computeFitReport, type FitReport } from './fit-report.js';
import { KERNEL_FILES, generateModelSource, type GeneratedModel } from './generate.js';
import { planMemory } from './planner.js';
import { renderMakefile } from './makefile.js';
import { renderReadme, renderReadmeZhTw } from './readme.js';
import { estimateTflmArenaBytes, renderModelData, renderOpResolver } from './tflm.js';
import { assertNotModelFolder } from '../../io/model-folder-guard.js';

const C99_DIR = path.dirname(fileURLToPath(import.meta.url));

/** Package layouts: 'c' is the full package, 'arduino' makes the output folder an Arduino library. */
export type C99Format = 'c' | 'arduino';

export interface C99ExportOptions {
  outDir: string;
  board: BoardSpec;
  format?: C99Format;
  labels?: string[];
  /** One raw model input from a real sample, embedded in the Arduino example. */
  exampleInput?: { bytes: Uint8Array; description: string; image?: string };
  modelName?: string;
  /** Write the package even when the fit report finds the model does not fit. */
  allowOversize?: boolean;
}

export interface C99ExportResult {
  outDir: string;
  report: FitReport;
  generated: GeneratedModel;
  prepared: PreparedGraph;
  tflmArenaEstimate: number;
  files: string[];
}

/** Compiles a .tflite model in memory: prepare, generate and plan, without writing anything. */
export function compileTflite(bytes: Uint8Array, source: string, labels: string[] = [], modelName = path.basename(source)): {
  model: TfliteModel;
  prepared: PreparedGraph;
  generated: GeneratedModel;
} {
  const model = readTflite(bytes, source);
  const prepared = prepareGraph(model, source);
  const generated = generateModelSource(prepared, { labels, modelName });
  return { model, prepared, generated };
}

/** Top-level names that a C export of either layout writes, and that `make host` adds. */
const EXPORT_ENTRIES: ReadonlySet<string> = new Set([
  ...KERNEL_FILES,
  ...['model.h', 'model.c', 'run_model.c', 'run_model', 'sample_input.bin', 'Makefile', 'tflm', 'arduino'],
  ...['library.properties', 'src', 'examples', 'extras', 'report.json', 'README.md', 'README.zh-TW.md'],
]);

/**
 * Lists the entries of `folder` that keep it from being replaced: all of them unless it contains
 * the report.json of an earlier C export, else those that such an export did not write.
 */
async function entriesBlockingReplace(folder: string, entries: string[]): Promise<string[]> {
  try {
    const report = JSON.parse(await readFile(path.join(folder, 'report.json'), 'utf8')) as Partial<FitReport>;
    if (!(typeof report.fits === 'boolean' && typeof report.flash === 'object' && typeof report.ram === 'object')) return entries;
  } catch {
    return entries;
  }
  return entries.filter((entry) => !EXPORT_ENTRIES.has(entry) && !entry.endsWith('.o'));
}

/**
 * Throws unless `outDir` is missing, empty or the folder of an earlier C export that contains
 * nothing else, because the export replaces the whole folder. Folders in a model are rejected too.
 */
async function assertWritableOutput(outDir: string): Promise<void> {
  const existing = await stat(outDir).catch(() => null);
  if (existing && !existing.isDirectory()) {
    throw new EdgeTrainerError('invalid_argument', `Output ${outDir} is a file; the C export writes a folder.`, {
      path: outDir,
      hint: 'Give --out a new or existing folder.',
    });
  }
  await assertNotModelFolder(outDir, 'the C export');
  const entries = existing ? await readdir(outDir) : [];
  if (entries.length === 0) return;

  const blocking = await entriesBlockingReplace(outDir, entries);
  if (blocking.length > 0) {
    const names = blocking.slice(0, 5).join(', ') + (blocking.length > 5 ? ', ...' : '');
    throw new EdgeTrainerError('invalid_argument', `${outDir} contains files that are not from an Edge Trainer C export (${names}), and replacing the folder would delete them.`, {
      path: outDir,
      hint: 'Give --out a new or empty folder, or the folder of an earlier C export to replace it.',
      key: 'export_folder_not_empty',
      params: { folder: outDir, entries: names },
    });
  }
  logger.warn(`Replacing the earlier C export in ${outDir}; files changed there are replaced too.`);
}

function describeTensor(prepared: PreparedGraph, index: number): string {
  const tensor = prepared.graph.tensors[index];
  const q = tensor.quantization;
  const quantization = q ? `, real = ${q.scale[0]} * (q - ${q.zeroPoint[0]})` : '';
  return `${C_TYPES[tensor.type]} [${tensor.shape.join(', ')}]${quantization}`;
}

/**
 * Builds the whole first input tensor with every value at its zero point (real 0), as raw
 * little-endian bytes, so that sample_input.bin and the sketch's memcpy have the input's size.
 */
function defaultExampleInput(prepared: PreparedGraph): ExampleInput {
  const input = prepared.graph.tensors[prepared.graph.inputs[0]];
  const type = input.type === 'UINT8' ? 'uint8_t' : 'int8_t';
  const count = input.shape.reduce((product, dim) => product * dim, 1);
  const zeroPoint = input.quantization?.zeroPoint[0] ?? 0;
  const bytes = new Uint8Array(count * (C_TYPE_BYTES[C_TYPES[input.type] ?? 'int8_t'] ?? 1));
  const view = new DataView(bytes.buffer);
  // A float32 input has no zero point: real 0 is all zero bytes.
  for (let i = 0; i < count; i++) {
    if (input.type === 'INT8' || input.type === 'UINT8') view.setUint8(i, zeroPoint & 0xff);
    else if (input.type === 'INT16') view.setInt16(2 * i, zeroPoint, true);
    else if (input.type === 'INT32') view.setInt32(4 * i, zeroPoint, true);
  }
  return { bytes, type, description: 'every value at the zero point (real 0); export with a sample for a real test input' };
}

export async function exportC99(bytes: Uint8Array, source: string, options: C99ExportOptions): Promise<C99ExportResult> {
  const labels = options.labels ?? [];
  const modelName = options.modelName ?? path.basename(source);
  const { model, prepared, generated } = compileTflite(bytes, source, labels, modelName);
  const outputShape = prepared.graph.tensors[prepared.graph.outputs[0]].shape;
  const classes = outputShape[outputShape.length - 1] ?? 1;
  if (labels.length > 0 && labels.length !== classes) {
    throw new EdgeTrainerError('invalid_argument', `${source} has ${classes} outputs, but ${labels.length} labels were given.`, {
      path: source,
      hint: 'Give one label per model output, in output order (--labels FILE, or labels.txt beside the model).',
      key: 'labels_count_mismatch',
      params: { file: source, outputs: classes, labels: labels.length },
    });
  }
  const report = computeFitReport(options.board, {
    constantBytes: generated.constantBytes,
    arenaBytes: generated.plan.arenaBytes,
    macs: generated.macs,
    operators: prepared.ops.length,
    longestChain: generated.longestChain,
  });
  if (!options.allowOversize) assertFits(report, source);
  const inputType = prepared.graph.tensors[prepared.graph.inputs[0]].type;
  if (inputType !== 'INT8' && inputType !== 'UINT8') {
    logger.warn(`C export of ${source}: the Arduino example expects an int8 or uint8 input, the model takes ${inputType}; edit the sketch input.`);
  }

  // TFLite Micro runs layer by layer, so its estimate starts from the plan without row streaming.
  const tflmArenaEstimate = estimateTflmArenaBytes(model, planMemory(prepared));
  const kernelSources = await Promise.all(KERNEL_FILES.map(async (file) => [file, await readFile(path.join(C99_DIR, 'kernels', file), 'utf8')] as [string, string]));
  const example = options.exampleInput
    ? { ...options.exampleInput, type: inputType === 'UINT8' ? ('uint8_t' as const) : ('int8_t' as const) }
    : defaultExampleInput(prepared);
  const facts = {
    modelName,
    report,
    inputDescription: describeTensor(prepared, prepared.graph.inputs[0]),
    outputDescription: describeTensor(prepared, prepared.graph.outputs[0]),
    labels,
    tflmArenaEstimate,
    layout: options.format === 'arduino' ? ('arduino' as const) : ('c' as const),
    sample: { description: example.description, image: example.image, zeroPoint: options.exampleInput === undefined },
  };
  const modelData = renderModelData(bytes, modelName);
  const sources = ['model.c', ...KERNEL_FILES.filter((file) => file.endsWith('.c'))];
  const runModel = await readFile(path.join(C99_DIR, 'host', 'run_model.c'), 'utf8');
  // The sketch's test input as a raw file, so `./run_model sample_input.bin` works at once.
  const sampleInput = example.bytes;
  const tflm: [string, string][] = [
    ['model_data.h', modelData.header],
    ['model_data.cc', modelData.source],
    ['op_resolver.h', renderOpResolver(model, tflmArenaEstimate)],
  ];
  const library: [string, string][] = [
    ['library.properties', renderLibraryProperties(options.board, modelName)],
    [`src/${ARDUINO_LIBRARY_NAME}.h`, renderLibraryHeader()],
    ['src/model.h', generated.header],
    ['src/model.c', generated.source],
    ...kernelSources.map(([file, text]) => [`src/${file}`, text] as [string, string]),
    [`examples/${ARDUINO_EXAMPLE_NAME}/${ARDUINO_EXAMPLE_NAME}.ino`, renderExampleSketch(example)],
  ];
  const common: [string, string][] = [
    ['report.json', `${JSON.stringify(report, null, 2)}\n`],
    ['README.md', renderReadme(facts)],
    ['README.zh-TW.md', renderReadmeZhTw(facts)],
  ];
  // The Arduino IDE compiles only src/; the host runner and the TFLite Micro files go in extras/.
  const files: [string, string | Uint8Array][] =
    options.format === 'arduino'
      ? [
          ...library,
          ['Makefile', renderMakefile(sources, { sourceDir: 'src', runner: 'extras/run_model.c' })],
          ['extras/run_model.c', runModel],
          ['extras/sample_input.bin', sampleInput],
          ...tflm.map(([file, text]) => [`extras/tflm/${file}`, text] as [string, string]),
          ...common,
        ]
      : [
          ['model.h', generated.header],
          ['model.c', generated.source],
          ...kernelSources,
          ['run_model.c', runModel],
          ['sample_input.bin', sampleInput],
          ['Makefile', renderMakefile(sources, { sourceDir: '.', runner: 'run_model.c' })],
          ...tflm.map(([file, text]) => [`tflm/${file}`, text] as [string, string]),
          ...library.map(([file, text]) => [`arduino/${ARDUINO_LIBRARY_NAME}/${file}`, text] as [string, string]),
          ...common,
        ];

  await assertWritableOutput(options.outDir);
  // The package is written whole beside the target and swapped in, so a second export into the same
  // folder leaves no files of the first one behind.
  await mkdir(path.dirname(path.resolve(options.outDir)), { recursive: true });
  await replaceFolder(options.outDir, async (staging) => {
    for (const [file, content] of files) {
      const target = path.join(staging, file);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFileAtomic(target, content);
    }
  });
  logger.info(`C export of ${source}: ${files.length} files in ${options.outDir}; ${report.verdict}`);
  return { outDir: options.outDir, report, generated, prepared, tflmArenaEstimate, files: files.map(([file]) => file) };
}
