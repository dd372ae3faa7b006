// SVG rendering of a training report: loss and accuracy curves per epoch (training and
// validation), and the confusion matrix of the validation set (or the training set without one).
// Written by hand as plain SVG 1.1 text, so reports need no charting dependency.

import type { EvaluationReport } from './metrics.js';
import type { TrainingReport } from './report.js';

const CHART_WIDTH = 420;
const CHART_HEIGHT = 260;
const MARGIN = { left: 56, right: 16, top: 48, bottom: 40 };
const TRAIN_COLOR = '#1f77b4';
const VALIDATION_COLOR = '#ff7f0e';

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

interface Series {
  name: string;
  color: string;
  values: (number | null)[];
}

/** Draws a line chart of `series` against epochs 1..n, placed at (x, y). */
function lineChart(x: number, y: number, title: string, series: Series[], yMax?: number): string {
  const plotWidth = CHART_WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
  const epochs = Math.max(1, ...series.map((item) => item.values.length));
  const finite = series.flatMap((item) => item.values.filter((value): value is number => value !== null && Number.isFinite(value)));
  const top = yMax ?? Math.max(1e-6, ...finite) * 1.05;
  const toX = (epoch: number) => MARGIN.left + (epochs === 1 ? plotWidth / 2 : ((epoch - 1) / (epochs - 1)) * plotWidth);
  const toY = (value: number) => MARGIN.top + plotHeight - (Math.min(value, top) / top) * plotHeight;

  const parts = [`<g transform="translate(${x},${y})">`];
  parts.push(`<text x="${CHART_WIDTH / 2}" y="18" text-anchor="middle" font-weight="bold">${escapeXml(title)}</text>`);
  for (let tick = 0; tick <= 4; tick++) {
    const value = (top * tick) / 4;
    const tickY = toY(value).toFixed(1);
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${tickY}" y2="${tickY}" stroke="#ddd"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${tickY}" text-anchor="end" dominant-baseline="middle">${value.toPrecision(2)}</text>`);
  }
  for (const epoch of new Set([1, Math.round((epochs + 1) / 2), epochs])) {
    parts.push(`<text x="${toX(epoch).toFixed(1)}" y="${MARGIN.top + plotHeight + 16}" text-anchor="middle">${epoch}</text>`);
  }
  parts.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${CHART_HEIGHT - 6}" text-anchor="middle">epoch</text>`);
  series.forEach((item, index) => {
    const points = item.values.flatMap((value, epoch) => (value === null || !Number.isFinite(value) ? [] : [`${toX(epoch + 1).toFixed(1)},${toY(value).toFixed(1)}`]));
    if (points.length > 0) parts.push(`<polyline fill="none" stroke="${item.color}" stroke-width="2" points="${points.join(' ')}"/>`);
    const legendX = MARGIN.left + 8 + index * 110;
    parts.push(`<rect x="${legendX}" y="29" width="12" height="3" fill="${item.color}"/>`);
    parts.push(`<text x="${legendX + 16}" y="31" dominant-baseline="middle">${escapeXml(item.name)}</text>`);
  });
  parts.push('</g>');
  return parts.join('\n');
}

const CELL = 36;
const LABEL_WIDTH = 110;
/** Maximum label length drawn in full; longer labels end with an ellipsis. */
const MAX_LABEL_CHARS = 14;

function shortLabel(label: string): string {
  return label.length > MAX_LABEL_CHARS ? `${label.slice(0, MAX_LABEL_CHARS - 1)}…` : label;
}

/** Height of the rotated column labels: about 6 px per character at 12 px type and 60 degrees. */
function columnHeaderHeight(labels: readonly string[]): number {
  return 16 + 6 * Math.max(1, ...labels.map((label) => shortLabel(label).length));
}

/** Size of the confusion matrix drawing for `labels`. */
function matrixSize(labels: readonly string[]): { width: number; height: number } {
  return { width: LABEL_WIDTH + labels.length * CELL + 16, height: 40 + columnHeaderHeight(labels) + labels.length * CELL };
}

/** Draws the confusion matrix as shaded cells, rows = true class, columns = predicted class. */
function confusionMatrix(x: number, y: number, title: string, report: EvaluationReport): string {
  const gridTop = 40 + columnHeaderHeight(report.labels);
  const parts = [`<g transform="translate(${x},${y})">`];
  parts.push(`<text x="${LABEL_WIDTH}" y="18" font-weight="bold">${escapeXml(title)}</text>`);
  parts.push(`<text x="${LABEL_WIDTH}" y="34">rows: true class, columns: predicted</text>`);
  report.labels.forEach((label, index) => {
    const text = escapeXml(shortLabel(label));
    const columnX = LABEL_WIDTH + index * CELL + CELL / 2;
    parts.push(`<text x="${columnX}" y="${gridTop - 6}" transform="rotate(-60 ${columnX} ${gridTop - 6})">${text}</text>`);
    parts.push(`<text x="${LABEL_WIDTH - 6}" y="${gridTop + index * CELL + CELL / 2}" text-anchor="end" dominant-baseline="middle">${text}</text>`);
  });
  report.confusion.forEach((row, trueIndex) => {
    const rowTotal = row.reduce((sum, value) => sum + value, 0);
    row.forEach((value, predictedIndex) => {
      const share = rowTotal === 0 ? 0 : value / rowTotal;
      const base = trueIndex === predictedIndex ? [31, 119, 180] : [214, 39, 40];
      const mix = (channel: number) => Math.round(255 - (255 - channel) * share);
      const cellX = LABEL_WIDTH + predictedIndex * CELL;
      const cellY = gridTop + trueIndex * CELL;
      parts.push(`<rect x="${cellX}" y="${cellY}" width="${CELL}" height="${CELL}" fill="rgb(${base.map(mix).join(',')})" stroke="#999"/>`);
      parts.push(`<text x="${cellX + CELL / 2}" y="${cellY + CELL / 2}" text-anchor="middle" dominant-baseline="middle" fill="${share > 0.6 ? '#fff' : '#000'}">${value}</text>`);
    });
  });
  parts.push('</g>');
  return parts.join('\n');
}

/** Renders the report's curves and confusion matrix as a standalone SVG document. */
export function renderReportSvg(report: TrainingReport): string {
  const history = report.history;
  const lossChart = lineChart(0, 0, 'Loss', [
    { name: 'training', color: TRAIN_COLOR, values: history.map((logs) => logs.loss) },
    { name: 'validation', color: VALIDATION_COLOR, values: history.map((logs) => logs.valLoss) },
  ]);
  const accuracyChart = lineChart(CHART_WIDTH, 0, 'Accuracy', [
    { name: 'training', color: TRAIN_COLOR, values: history.map((logs) => logs.accuracy) },
    { name: 'validation', color: VALIDATION_COLOR, values: history.map((logs) => logs.valAccuracy) },
  ], 1);
  const evaluated = report.validation ?? report.train;
  const matrixTitle = `Confusion matrix (${report.validation ? 'validation' : 'training'} set, accuracy ${(evaluated.accuracy * 100).toFixed(1)}%)`;
  const matrix = matrixSize(evaluated.labels);
  const width = Math.max(2 * CHART_WIDTH, matrix.width);
  const height = CHART_HEIGHT + 16 + matrix.height;

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    lossChart,
    accuracyChart,
    confusionMatrix(0, CHART_HEIGHT + 16, matrixTitle, evaluated),
    '</svg>',
    '',
  ].join('\n');
}
