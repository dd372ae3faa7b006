// Benchmark of the C export: exports a .tflite model (default: TFLite Micro's person_detect from
// the test data), builds the host runner with -O2 and reports arena bytes, flash bytes and the
// instructions of one model_invoke() counted by valgrind's callgrind.
// Usage: npx tsx scripts/bench-c99.ts [MODEL.tflite]

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveBoard } from '../models/exporters/c99/boards.js';
import { exportC99 } from '../models/exporters/c99/export.js';
import { planMemory } from '../models/exporters/c99/planner.js';
import { testDataDir } from '../models/paths.js';
import { elementCount, TENSOR_ARRAYS } from '../models/reference/tensors.js';

export interface C99BenchReport {
  model: string;
  arenaBytes: number;
  arenaBytesWithoutRowStreaming: number;
  flashBytesEstimate: number;
  constantBytes: number;
  macs: number;
  instructionsPerInference: number;
  tflmArenaEstimate: number;
}

/** Exports an int8 .tflite model to C, builds the host runner and counts one inference's instructions. */
export async function measureC99(bytes: Uint8Array, model: string): Promise<C99BenchReport> {
  const dir = mkdtempSync(path.join(tmpdir(), 'et-bench-c99-'));
  const result = await exportC99(bytes, model, { outDir: dir, board: resolveBoard('esp32s3'), allowOversize: true });
  execFileSync('make', ['-s', '-C', dir, 'host'], { stdio: 'inherit' });

  const input = result.prepared.graph.tensors[result.prepared.graph.inputs[0]];
  const zeros = TENSOR_ARRAYS[input.type]!.create(elementCount(input.shape));
  writeFileSync(path.join(dir, 'input.bin'), new Uint8Array(zeros.buffer));
  const callgrindOut = path.join(dir, 'callgrind.out');
  // callgrind writes its summary ("Collected : N") to stderr.
  const run = spawnSync(
    'valgrind',
    ['--tool=callgrind', '--toggle-collect=model_invoke', `--callgrind-out-file=${callgrindOut}`, path.join(dir, 'run_model'), path.join(dir, 'input.bin')],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`valgrind failed (exit ${run.status}): ${run.stderr}`);
  const instructions = /Collected\s*:\s*(\d+)/.exec(run.stderr)?.[1];
  if (!instructions) throw new Error(`valgrind output has no instruction count: ${run.stderr}`);

  return {
    model,
    arenaBytes: result.report.ram.arenaBytes,
    arenaBytesWithoutRowStreaming: planMemory(result.prepared).arenaBytes,
    flashBytesEstimate: result.report.flash.totalBytes,
    constantBytes: result.report.flash.constantBytes,
    macs: result.report.macs,
    instructionsPerInference: Number(instructions),
    tflmArenaEstimate: result.tflmArenaEstimate,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const model = process.argv[2] ?? path.join(testDataDir(), 'tflite-reference/person_detect/person_detect.tflite');
  const report = await measureC99(readFileSync(model), model);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
