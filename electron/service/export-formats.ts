// Export formats the app offers, as a frozen table. Each entry builds its output in memory first,
// so the Export screen shows sizes (and the board fit) before anything is saved, then writes the
// build into a fresh folder under the project's exports/ folder.

import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Classifier } from '../../models/classifier/index.js';
import { exportOnnx } from '../../models/exporters/onnx/export.js';
import { buildTflite, writeTfliteBundle } from '../../models/exporters/tflite/export.js';
import { LABELS_FILE } from '../../models/exporters/tflite/labels.js';
import { writeFileAtomic } from '../../models/io/atomic.js';
import { TFLITE_VARIANTS, isTfliteVariant } from '../../models/exporters/tflite/variants.js';
import { EdgeTrainerError } from '../../models/errors.js';
import { BOARD_IDS, resolveBoard } from '../../models/exporters/c99/boards.js';
import { compileTflite, exportC99, type C99Format } from '../../models/exporters/c99/export.js';
import { computeFitReport, type FitReport } from '../../models/exporters/c99/fit-report.js';
import type { BoardFitView, ExportFileView } from '../api/types.js';

export const EXPORTS_DIR = 'exports';

export interface BuildJob {
  classifier: Classifier;
  variant?: string;
  board?: string;
  customFlashKb?: number;
  customRamKb?: number;
  /** Representative inputs from every class, loaded on first use. */
  calibration: () => Promise<Float32Array[]>;
  onProgress: (done: number, total: number) => void;
}

/** An export built in memory: its main file's size, the board fit, and how to write it. */
export interface BuiltExport {
  sizeBytes: number;
  fit?: BoardFitView;
  write: (outDir: string) => Promise<void>;
}

export interface AppExportFormat {
  variants: readonly string[];
  boards: readonly string[];
  build: (job: BuildJob) => Promise<BuiltExport>;
}

async function buildTfjs(job: BuildJob): Promise<BuiltExport> {
  // A trained model folder already is the Teachable Machine TF.js layout, so it is copied as it is.
  const files = (await readdir(job.classifier.dir)).filter((name) => name === 'model.json' || name === 'metadata.json' || name.endsWith('.bin'));
  let sizeBytes = 0;
  for (const name of files) sizeBytes += (await stat(path.join(job.classifier.dir, name))).size;
  return {
    sizeBytes,
    write: async (outDir) => {
      for (const name of files) await copyFile(path.join(job.classifier.dir, name), path.join(outDir, name));
    },
  };
}

async function buildTfliteExport(job: BuildJob): Promise<BuiltExport> {
  const variant = job.variant ?? 'float32';
  if (!isTfliteVariant(variant)) {
    throw new EdgeTrainerError('invalid_argument', `Unknown TFLite variant "${variant}".`, { hint: `Use one of: ${Object.keys(TFLITE_VARIANTS).join(', ')}.` });
  }
  const calibration = TFLITE_VARIANTS[variant].needsCalibration ? await job.calibration() : undefined;
  const built = await buildTflite(job.classifier.model, job.classifier.labels, {
    variant,
    calibration,
    onProgress: (_stage, done, total) => job.onProgress(done, total),
  });
  return { sizeBytes: built.bytes.length, write: async (outDir) => void (await writeTfliteBundle(built, path.join(outDir, 'model.tflite'))) };
}

/** ONNX (opset 13, float32), with the labels in the model's metadata and in labels.txt beside it. */
async function buildOnnxExport(job: BuildJob): Promise<BuiltExport> {
  const { classifier } = job;
  const bytes = exportOnnx(classifier.model, { metadata: { labels: JSON.stringify(classifier.labels) }, docString: 'Edge Trainer image classifier' });
  return {
    sizeBytes: bytes.length,
    write: async (outDir) => {
      await writeFileAtomic(path.join(outDir, 'model.onnx'), bytes);
      await writeFileAtomic(path.join(outDir, LABELS_FILE), classifier.labels.map((label, index) => `${index} ${label}\n`).join(''));
    },
  };
}

/** Board id that takes its flash and RAM from the request (customFlashKb, customRamKb). */
export const CUSTOM_BOARD = 'custom';

function toFitView(report: FitReport): BoardFitView {
  return {
    board: report.board.name,
    fits: report.fits,
    flashBytes: report.flash.totalBytes,
    flashLimitBytes: report.flash.availableBytes,
    ramBytes: report.ram.totalBytes,
    ramLimitBytes: report.ram.availableBytes,
  };
}

/**
 * C and Arduino packages: the strict int8 TFLite build compiled to C. The size reported is the
 * flash the model needs (weights plus estimated kernel code). A model that does not fit the board
 * is still written with the verdict shown, so a maker can try a larger board.
 */
function c99Format(format: C99Format): AppExportFormat {
  return Object.freeze({
    variants: [],
    boards: [...BOARD_IDS, CUSTOM_BOARD],
    build: async (job: BuildJob): Promise<BuiltExport> => {
      const board = job.board === CUSTOM_BOARD ? resolveBoard(CUSTOM_BOARD, { flashKb: job.customFlashKb, ramKb: job.customRamKb }) : resolveBoard(job.board);
      const { classifier } = job;
      const built = await buildTflite(classifier.model, classifier.labels, {
        variant: 'int8',
        calibration: await job.calibration(),
        onProgress: (_stage, done, total) => job.onProgress(done, total),
      });
      const modelName = 'model';
      const { prepared, generated } = compileTflite(built.bytes, `${modelName}.tflite`, classifier.labels, modelName);
      const report = computeFitReport(board, {
        constantBytes: generated.constantBytes,
        arenaBytes: generated.plan.arenaBytes,
        macs: generated.macs,
        operators: prepared.ops.length,
      });
      return {
        sizeBytes: report.flash.totalBytes,
        fit: toFitView(report),
        write: async (outDir) =>
          void (await exportC99(built.bytes, `${modelName}.tflite`, { outDir, board, format, labels: classifier.labels, modelName, allowOversize: true })),
      };
    },
  });
}

export const EXPORT_FORMATS: Readonly<Record<string, AppExportFormat>> = Object.freeze({
  tfjs: Object.freeze({ variants: [], boards: [], build: buildTfjs }),
  tflite: Object.freeze({ variants: Object.keys(TFLITE_VARIANTS), boards: [], build: buildTfliteExport }),
  onnx: Object.freeze({ variants: [], boards: [], build: buildOnnxExport }),
  c: c99Format('c'),
  arduino: c99Format('arduino'),
});

/** Lists the files under `dir`, as paths relative to `projectDir` with their sizes in bytes. */
export async function listWrittenFiles(projectDir: string, dir: string): Promise<ExportFileView[]> {
  const files: ExportFileView[] = [];
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) files.push({ file: path.relative(projectDir, full).split(path.sep).join('/'), bytes: (await stat(full)).size });
    }
  };
  await walk(dir);
  return files.sort((a, b) => a.file.localeCompare(b.file));
}

/** Creates exports/<format>[-<variant>][-<board>]-v<version>[-<n>]/ without touching earlier exports. */
export async function createExportDir(projectDir: string, baseName: string): Promise<string> {
  const root = path.join(projectDir, EXPORTS_DIR);
  await mkdir(root, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const candidate = path.join(root, attempt === 1 ? baseName : `${baseName}-${attempt}`);
    try {
      await mkdir(candidate);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
