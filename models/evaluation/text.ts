// Readable plain-text rendering of evaluation and training reports (report.txt, terminal output).

import type { EvaluationReport } from './metrics.js';
import type { TrainingReport } from './report.js';

function percent(value: number | null): string {
  return value === null ? '-' : `${(value * 100).toFixed(1)}%`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd()).join('\n');
}

/** Accuracy per class, the confusion matrix and the misclassified samples as text. */
export function formatEvaluationText(report: EvaluationReport, title = 'Evaluation'): string {
  const lines = [`${title}: accuracy ${percent(report.accuracy)} on ${report.count} samples, loss ${report.loss.toFixed(4)}`, ''];
  lines.push(table([['class', 'samples', 'correct', 'accuracy'], ...report.perClass.map((item) => [item.label, String(item.count), String(item.correct), percent(item.accuracy)])]));
  lines.push('', 'Confusion matrix (rows: true class, columns: predicted class)');
  lines.push(table([['', ...report.labels], ...report.labels.map((label, row) => [label, ...report.confusion[row].map(String)])]));
  if (report.misclassified.length > 0) {
    lines.push('', `Misclassified (${report.misclassified.length})`);
    for (const item of report.misclassified) lines.push(`  ${item.source}: ${item.label} -> ${item.predicted} (${percent(item.confidence)})`);
  }
  return lines.join('\n');
}

/** Formats the whole training report as text: settings, per-epoch curves, and both evaluations. */
export function formatReportText(report: TrainingReport): string {
  const settings = report.settings;
  const lines = [
    `Base: ${report.baseId}   classes: ${report.labels.length} (${report.labels.join(', ')})`,
    `Training samples: ${report.split.trainCount}   validation samples: ${report.split.validationCount} (split: ${report.split.method})`,
    `Optimizer ${settings.optimizer}, learning rate ${settings.learningRate}, batch ${settings.batchSize}, epochs ${settings.epochs}, seed ${settings.seed}`,
    `Embeddings: ${report.embeddings.computed} computed, ${report.embeddings.cached} from the cache`,
  ];
  for (const note of report.split.notes) lines.push(`Note: ${note}`);
  if (report.stoppedEarly) lines.push(`Early stopping after epoch ${report.history.length}; weights of epoch ${report.finalEpoch} kept.`);
  lines.push('');

  const cell = (value: number | null, digits: number) => (value === null ? '-' : value.toFixed(digits));
  lines.push(
    table([
      ['epoch', 'loss', 'accuracy', 'val loss', 'val accuracy'],
      ...report.history.map((logs) => [String(logs.epoch), cell(logs.loss, 4), percent(logs.accuracy), cell(logs.valLoss, 4), percent(logs.valAccuracy)]),
    ]),
  );
  lines.push('', formatEvaluationText(report.train, 'Training set'));
  if (report.validation) lines.push('', formatEvaluationText(report.validation, 'Validation set'));
  if (report.skipped.length > 0) {
    lines.push('', `Skipped samples (${report.skipped.length})`);
    for (const item of report.skipped) lines.push(`  ${item.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
