import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { evaluateHead } from '../../../models/evaluation/evaluate-head.js';
import { evaluatePredictions } from '../../../models/evaluation/metrics.js';
import { type SplitSample, splitTrainValidation, validationCount } from '../../../models/evaluation/split.js';
import { saveTrainingReport } from '../../../models/evaluation/save-report.js';
import { renderReportSvg } from '../../../models/evaluation/svg.js';
import { formatReportText } from '../../../models/evaluation/text.js';
import { trainClassifier } from '../../../models/training/train.js';
import { temporaryDir } from '../project/fixtures.js';
import { TEST_CACHE_DIR, digitFiles, digitSamples } from '../training/digits.js';

function samples(perClass: number[], session?: (label: number, index: number) => string): SplitSample[] {
  return perClass.flatMap((count, label) => Array.from({ length: count }, (_, index) => ({ label, session: session?.(label, index) })));
}

describe('validation split', () => {
  it('stratified rounds up per class', () => {
    const split = splitTrainValidation(samples([10, 7, 20]), 0.15, 1);
    const heldPerClass = [0, 1, 2].map((label) => split.validation.filter((index) => samples([10, 7, 20])[index].label === label).length);
    expect(heldPerClass).toEqual([2, 2, 3]);
    expect(split.method).toBe('stratified');
    expect(split.train.length + split.validation.length).toBe(37);
  });

  it('keeps at least one training sample', () => {
    expect(validationCount(1, 0.15)).toBe(0);
    expect(validationCount(2, 0.9)).toBe(1);
  });

  it('sessions stay whole', () => {
    // 5 sessions of 6 frames per class.
    const data = samples([30, 30], (label, index) => `${label}-${Math.floor(index / 6)}`);
    const split = splitTrainValidation(data, 0.15, 4);
    const trainSessions = new Set(split.train.map((index) => data[index].session));
    const validationSessions = new Set(split.validation.map((index) => data[index].session));
    expect(split.method).toBe('session');
    expect([...validationSessions].filter((session) => trainSessions.has(session))).toEqual([]);
    expect(split.validation).toHaveLength(12);
  });

  it('oversized sessions fall back with a note', () => {
    // Two sessions of 30: holding one out would take half the class.
    const data = samples([60, 10], (label, index) => `${label}-${Math.floor(index / 30)}`);
    const split = splitTrainValidation(data, 0.15, 4, ['rock', 'paper']);
    expect(split.notes[0]).toContain('"rock" has capture sessions too large');
    expect(split.validation.filter((index) => data[index].label === 0)).toHaveLength(9);
  });

  it('single session falls back with a note', () => {
    const data = samples([10, 10], (label) => `only-${label}`);
    const split = splitTrainValidation(data, 0.15, 4, ['rock', 'paper']);
    expect(split.method).toBe('stratified');
    expect(split.notes[0]).toContain('"rock" has a single capture session');
  });

  it('same seed same split', () => {
    const data = samples([12, 12]);
    expect(splitTrainValidation(data, 0.2, 9)).toEqual(splitTrainValidation(data, 0.2, 9));
    expect(splitTrainValidation(data, 0.2, 9).validation).not.toEqual(splitTrainValidation(data, 0.2, 10).validation);
  });
});

describe('evaluatePredictions', () => {
  it('handmade confusion matrix', () => {
    // Rows: a (true a), a (predicted b), b (true b).
    const probabilities = Float32Array.from([0.9, 0.1, 0.3, 0.7, 0.2, 0.8]);
    const report = evaluatePredictions(probabilities, [0, 0, 1], ['a', 'b'], ['x.jpg', 'y.jpg', 'z.jpg']);
    expect(report.confusion).toEqual([[1, 1], [0, 1]]);
    expect(report.accuracy).toBeCloseTo(2 / 3, 6);
    expect(report.perClass.map((item) => item.accuracy)).toEqual([0.5, 1]);
    expect(report.misclassified).toEqual([{ source: 'y.jpg', label: 'a', predicted: 'b', confidence: expect.closeTo(0.7, 6) }]);
    // Cross-entropy: -(ln 0.9 + ln 0.3 + ln 0.8) / 3.
    expect(report.loss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.3) + Math.log(0.8)) / 3, 5);
  });
});

describe('reports', () => {
  it('text and SVG reports render', async () => {
    // A label with XML special characters checks the SVG escaping.
    const train = digitSamples(50, 6, ['0', '1', '2']).train.map((sample) => ({ ...sample, label: sample.label === '2' ? '<&>' : sample.label }));
    const result = await trainClassifier(train, { base: 'mobilenet-v1-96-gray', cacheDir: TEST_CACHE_DIR, seed: 5, epochs: 4 });
    const text = formatReportText(result.report);
    expect(text).toMatch(/^epoch\s+loss\s+accuracy\s+val loss\s+val accuracy$/m);
    expect(text).toContain('Confusion matrix');
    expect(text).toMatch(/^4\s+\d\.\d{4}\s+\d+\.\d%/m);

    const svg = renderReportSvg(result.report);
    // librsvg (inside sharp) rejects malformed XML, so a successful render proves the SVG parses.
    const rendered = await sharp(Buffer.from(svg)).metadata();
    expect(rendered.format).toBe('svg');
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg).toContain('&#60;&#38;&#62;');

    const dir = await temporaryDir();
    const written = await saveTrainingReport(result.report, dir);
    expect(written.map((file) => path.basename(file))).toEqual(['report.json', 'report.txt', 'report.svg']);
    expect(JSON.parse(await readFile(written[0], 'utf8'))).toEqual(JSON.parse(JSON.stringify(result.report)));
    result.head.dispose();
  });
});

describe('evaluateHead', () => {
  it('scores a held-out folder', async () => {
    const { train } = digitSamples(50, 8, ['0', '1']);
    const result = await trainClassifier(train, { base: 'mobilenet-v1-96-gray', cacheDir: TEST_CACHE_DIR, seed: 2, epochs: 10 });
    const folder = await temporaryDir();
    for (const label of ['0', '1']) {
      await mkdir(path.join(folder, label));
      for (const file of digitFiles(label).slice(-3)) await copyFile(file, path.join(folder, label, path.basename(file)));
    }
    const report = await evaluateHead(result.head, result, folder);
    expect(report.count).toBe(6);
    expect(report.confusion.flat().reduce((a, b) => a + b)).toBe(6);
    expect(report.skipped).toEqual([]);

    await mkdir(path.join(folder, 'seven'));
    await expect(evaluateHead(result.head, result, folder)).rejects.toThrow(/seven/);
    result.head.dispose();
  });
});
