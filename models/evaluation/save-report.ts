// Writes a training report next to a model as report.json, report.txt and report.svg.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { type TrainingReport, formatReportJson } from './report.js';
import { renderReportSvg } from './svg.js';
import { formatReportText } from './text.js';

export const REPORT_FILES = Object.freeze({ json: 'report.json', text: 'report.txt', svg: 'report.svg' });

/** Writes the three report files into `dir` (created when missing), each atomically. Returns their paths. */
export async function saveTrainingReport(report: TrainingReport, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = [
    [REPORT_FILES.json, formatReportJson(report)],
    [REPORT_FILES.text, formatReportText(report)],
    [REPORT_FILES.svg, renderReportSvg(report)],
  ];
  const written: string[] = [];
  for (const [name, content] of files) {
    const file = path.join(dir, name);
    await writeFileAtomic(file, content);
    written.push(file);
  }
  return written;
}
