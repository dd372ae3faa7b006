// Export formats the app offers, as a frozen table. Each entry writes into a fresh folder under
// the project's exports/ folder and lists what it wrote; the table grows as exporters land.

import { cp, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Project } from '../../models/project/index.js';
import type { BoardFitView, ExportFileView } from '../api/types.js';
import type { JobContext } from '../api/handlers.js';

export const EXPORTS_DIR = 'exports';

export interface ExportJob {
  project: Project;
  /** Absolute folder of the model version to export (TF.js Teachable Machine layout). */
  modelDir: string;
  /** Fresh absolute folder to write into. */
  outDir: string;
  variant?: string;
  board?: string;
  context: JobContext;
}

export interface ExportOutcome {
  fit?: BoardFitView;
}

export interface AppExportFormat {
  variants: readonly string[];
  boards: readonly string[];
  run: (job: ExportJob) => Promise<ExportOutcome>;
}

async function exportTfjs(job: ExportJob): Promise<ExportOutcome> {
  // A trained model folder already is the Teachable Machine TF.js layout: copy it as it is.
  await cp(job.modelDir, job.outDir, { recursive: true });
  return {};
}

export const EXPORT_FORMATS: Readonly<Record<string, AppExportFormat>> = Object.freeze({
  tfjs: Object.freeze({ variants: [], boards: [], run: exportTfjs }),
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

/** Creates exports/<format>[-<variant>]-v<version>[-<n>]/ without touching earlier exports. */
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
