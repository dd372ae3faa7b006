// End to end in Debian Chromium against `edge-trainer serve`. The test creates a project and
// records two classes from two fake webcams (Y4M videos made from two hand-sign photos). It then
// trains, checks live predictions and exports, reloads the project in a fresh server, and checks
// the zh-TW screens.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { predictTflite } from '../../models/exporters/tflite/predict.js';
import { loadImageInput } from '../../models/images/preprocess.js';
import { readTflite } from '../../models/tflite/reader.js';
import { PROJECT_ROOT, testDataDir } from '../../models/paths.js';
import { CHROMIUM_PATH, launchWithCamera, type BrowserSession } from './browser.js';
import { startServeProcess, type ServeProcess } from './serve-process.js';
import { writeY4mFromPhoto } from './y4m.js';

const FRAMES_PER_CLASS = 20;
const ARTIFACTS = path.join(PROJECT_ROOT, 'artifacts', 'e2e');
const SIGNS = path.join(testDataDir(), 'gestures', 'sign-language-digits');

/** Two visually different signs: 0 (fingers curled into an O) and 5 (an open hand). */
const VIDEOS = [
  { label: 'zero', photo: path.join('0', 'IMG_1118.JPG'), seed: 11 },
  { label: 'five', photo: path.join('5', ''), seed: 55 },
] as const;

/** Latin-script words allowed on zh-TW screens: product names and field terms kept in English. */
const ALLOWED_LATIN = new Set(
  [
    'edge', 'trainer', 'mobilenetv1', 'mobilenetv2', 'tensorflow.js', 'teachable', 'machine', 'tflite', 'onnx', 'arduino', 'c',
    'ram', 'epoch', 'batch', 'size', 'loss', 'dropout', 'enter', 'ctrl', 'model.json', 'weights.bin', 'metadata.json', 'int8',
    'uint8', 'float32', 'float16', 'dynamic', 'sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamax',
    'v1', 'v2', 'x', 'esp32', 'esp32s3', 'nano33ble', 'pico', 'custom',
    // The class names this test types, which appear inside translated labels ("將「zero」往上移").
    'zero', 'five',
  ],
);

let workDir: string;
let serve: ServeProcess | undefined;
let session: BrowserSession | undefined;
const videoFiles: Record<string, string> = {};
let projectDir: string;
let serveEnv: NodeJS.ProcessEnv;
/** Timings written to artifacts/e2e/metrics.json for the record; no test asserts them. */
const metrics: Record<string, number | string> = {};

async function firstPhoto(folder: string): Promise<string> {
  const names = (await readdir(folder)).filter((name) => /\.jpe?g$/i.test(name)).sort();
  return path.join(folder, names[0]);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function openApp(videoLabel: string): Promise<Page> {
  await session?.close();
  session = await launchWithCamera(videoFiles[videoLabel]);
  const page = await session.context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(serve!.urlWithToken);
  await page.getByTestId('new-name').waitFor();
  return page;
}

/** Id of the class named `name` in the test project's project.json. */
async function classIdOf(name: string): Promise<string | undefined> {
  const project = JSON.parse(await readFile(path.join(projectDir, 'project.json'), 'utf8')) as { classes: { id: string; name: string }[] };
  return project.classes.find((item) => item.name === name)?.id;
}

function classCard(page: Page, name: string) {
  return page.locator(`[data-testid="class-card"][data-class-name="${name}"]`);
}

/** Records a timed burst; `useKeyboard` starts it with Enter on the focused button instead of a click. */
async function recordFrames(page: Page, className: string, useKeyboard = false): Promise<void> {
  const card = classCard(page, className);
  await card.getByTestId('webcam-toggle').click();
  await page.waitForFunction(() => (document.querySelector('[data-testid="camera-video"]') as HTMLVideoElement | null)?.videoWidth! > 0);
  await card.getByTestId('fps').fill('10');
  await card.getByTestId('duration').fill('2');
  if (useKeyboard) await card.getByTestId('record').press('Enter');
  else await card.getByTestId('record').click();
  await card.getByTestId('sample-count').filter({ hasText: String(FRAMES_PER_CLASS) }).waitFor({ timeout: 180_000 });
  await card.getByTestId('webcam-toggle').click();
}

/**
 * Waits for the live prediction to show `expected` (the first frames of a starting camera can be
 * blank), then reads the top label `count` times, a few frames apart.
 */
async function liveLabels(page: Page, expected: string, count: number): Promise<string[]> {
  const labels: string[] = [];
  const bars = page.locator(`[data-testid="live-prediction"][data-top-label="${expected}"]`);
  await bars.waitFor({ timeout: 120_000 });
  for (let i = 0; i < count; i++) {
    labels.push((await page.getByTestId('live-prediction').getAttribute('data-top-label')) ?? '');
    await page.waitForTimeout(400);
  }
  return labels;
}

/** UI text of the page without user content, including labels only screen readers get. */
function visibleUiText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const clone = document.body.cloneNode(true) as HTMLElement;
    for (const element of clone.querySelectorAll('[data-user], [data-testid="language"], .path, script, style')) element.remove();
    const attributes = [...clone.querySelectorAll('[aria-label], [alt], [placeholder], [title]')].flatMap((element) =>
      ['aria-label', 'alt', 'placeholder', 'title'].map((name) => element.getAttribute(name) ?? ''),
    );
    const texts: string[] = [];
    const walker = document.createTreeWalker(clone, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) texts.push(node.textContent ?? '');
    return `${texts.join(' ')} ${attributes.join(' ')}`;
  });
}

/** Buttons, inputs and selects that have no accessible name (label, aria-label or text). */
function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('button, input, select, textarea')]
      .filter((element) => element.getAttribute('aria-hidden') !== 'true')
      .filter((element) => {
        const labels = (element as HTMLInputElement).labels;
        const named = (labels !== null && labels.length > 0) || element.getAttribute('aria-label') || element.getAttribute('aria-labelledby') || element.textContent?.trim();
        return !named;
      })
      .map((element) => element.outerHTML.slice(0, 120)),
  );
}

function englishWords(text: string): string[] {
  return (text.match(/[A-Za-z][A-Za-z0-9.]*[A-Za-z0-9]|[A-Za-z]/g) ?? []).filter((word) => !ALLOWED_LATIN.has(word.toLowerCase()));
}

const canRun = existsSync(CHROMIUM_PATH) && existsSync(SIGNS);

describe.skipIf(!canRun)('app in Chromium', () => {
  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'edge-trainer-e2e-'));
    await mkdir(ARTIFACTS, { recursive: true });
    await build({ configFile: path.join(PROJECT_ROOT, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
    for (const video of VIDEOS) {
      const photo = video.photo.endsWith('.JPG') ? path.join(SIGNS, video.photo) : await firstPhoto(path.join(SIGNS, video.photo));
      videoFiles[video.label] = path.join(workDir, `${video.label}.y4m`);
      // 3 s at 30 fps: a 2 s recording at 10 fps never grabs the same video frame twice, which
      // the project would skip as a duplicate sample.
      await writeY4mFromPhoto(photo, videoFiles[video.label], { width: 320, height: 240, frames: 90, fps: 30, photoSide: 200, maxShift: 6, noise: 6, seed: video.seed });
    }
    projectDir = path.join(workDir, 'workspace', 'hand-signs');
    serveEnv = {
      EDGE_TRAINER_CONFIG_DIR: path.join(workDir, 'config'),
      EDGE_TRAINER_WORKSPACE: path.join(workDir, 'workspace'),
    };
    serve = await startServeProcess(serveEnv);
  });

  afterAll(async () => {
    await session?.close();
    await serve?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  test('create, record, train, preview, export', async () => {
    let page = await openApp('zero');
    await screenshot(page, '01-home');
    await page.getByTestId('new-name').fill('Hand signs');
    await page.getByTestId('new-dir').fill(projectDir);
    await page.getByTestId('create-project').click();
    await page.getByTestId('class-card').nth(1).waitFor();
    expect(await page.getByTestId('class-card').count()).toBe(2);

    for (const [index, name] of ['zero', 'five'].entries()) {
      const card = page.getByTestId('class-card').nth(index);
      await card.getByRole('button', { name: 'Rename' }).click();
      await card.getByTestId('rename-input').fill(name);
      await card.getByTestId('rename-input').press('Enter');
      await classCard(page, name).waitFor();
    }

    await recordFrames(page, 'zero');
    await screenshot(page, '02-classes');
    const firstThumbnailLoaded = await classCard(page, 'zero').locator('img').first().evaluate((image: HTMLImageElement) =>
      image.decode().then(() => image.naturalWidth > 0, () => false),
    );
    expect(firstThumbnailLoaded).toBe(true);

    // The second class needs the other video, so the browser restarts with the other fake webcam.
    page = await openApp('five');
    await page.getByRole('button', { name: projectDir }).click();
    await classCard(page, 'five').waitFor();
    await recordFrames(page, 'five', true);
    expect(await classCard(page, 'zero').getByTestId('sample-count').textContent()).toContain(String(FRAMES_PER_CLASS));

    await page.locator('[data-screen="train"]').click();
    await page.getByTestId('epochs').fill('30');
    const trainStart = Date.now();
    await page.getByTestId('start-training').click();
    await page.getByTestId('train-done').waitFor({ timeout: 240_000 });
    metrics.trainSeconds = (Date.now() - trainStart) / 1000;
    await page.getByTestId('confusion-matrix').waitFor();
    await screenshot(page, '03-train');

    await page.locator('[data-screen="preview"]').click();
    expect(await liveLabels(page, 'five', 5)).toEqual(['five', 'five', 'five', 'five', 'five']);
    await screenshot(page, '04-preview');
    metrics.previewRateText = (await page.getByTestId('preview-rate').textContent()) ?? '';
    await writeFile(path.join(ARTIFACTS, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);

    await page.locator('[data-screen="export"]').click();
    await page.getByTestId('format-tfjs').check();
    await page.getByTestId('run-export').click();
    await page.locator('[data-testid="export-result"][data-format="tfjs"]').waitFor({ timeout: 120_000 });
    expect(await readdir(path.join(projectDir, 'exports', 'tfjs-v1'))).toEqual(expect.arrayContaining(['model.json', 'weights.bin', 'metadata.json']));

    // TFLite int8: the size shows before anything is saved, then the saved file runs in the real
    // TFLite interpreter and classifies a recorded sample of each class correctly.
    await page.getByTestId('format-tflite').check();
    await page.getByTestId('variant').selectOption('int8');
    await page.getByTestId('estimate-export').click();
    await page.getByTestId('estimate-size').waitFor({ timeout: 240_000 });
    expect(existsSync(path.join(projectDir, 'exports', 'tflite-int8-v1'))).toBe(false);
    await page.getByTestId('run-export').click();
    await page.locator('[data-testid="export-result"][data-format="tflite"]').waitFor({ timeout: 120_000 });
    const tfliteFile = path.join(projectDir, 'exports', 'tflite-int8-v1', 'model.tflite');
    const labels = (await readFile(path.join(projectDir, 'exports', 'tflite-int8-v1', 'labels.txt'), 'utf8')).trim().split('\n').map((line) => line.replace(/^\d+ /, ''));
    expect(labels).toEqual(['zero', 'five']);
    for (const label of labels) {
      const classDir = path.join(projectDir, 'samples', (await classIdOf(label))!);
      const sample = path.join(classDir, (await readdir(classDir))[0]);
      const probabilities = await predictTflite(tfliteFile, await loadImageInput(sample, { size: 224, channels: 3 }));
      expect(labels[probabilities.indexOf(Math.max(...probabilities))]).toBe(label);
    }

    // C for the ESP32-S3: the fit verdict shows before saving. The saved package builds with gcc,
    // and its host runner classifies a sample of each class as the int8 TFLite model does.
    await page.getByTestId('format-c').check();
    await page.getByTestId('board').selectOption('esp32s3');
    await page.getByTestId('estimate-export').click();
    await page.getByTestId('estimate').getByText('ESP32-S3').waitFor({ timeout: 240_000 });
    await page.getByTestId('run-export').click();
    await page.locator('[data-testid="export-result"][data-format="c"]').waitFor({ timeout: 120_000 });
    await screenshot(page, '05-export');
    const cDir = path.join(projectDir, 'exports', 'c-esp32s3-v1');
    const make = spawnSync('make', ['host'], { cwd: cDir, encoding: 'utf8' });
    expect(make.stderr).not.toMatch(/error/i);
    expect(make.status).toBe(0);
    const input = readTflite(await readFile(tfliteFile), tfliteFile).subgraphs[0];
    const inputQuantization = input.tensors[input.inputs[0]].quantization!;
    for (const label of labels) {
      const classDir = path.join(projectDir, 'samples', (await classIdOf(label))!);
      const sample = path.join(classDir, (await readdir(classDir))[1]);
      const values = await loadImageInput(sample, { size: 224, channels: 3 });
      const quantized = Int8Array.from(values, (value) => Math.max(-128, Math.min(127, Math.round(value / inputQuantization.scale[0]) + inputQuantization.zeroPoint[0])));
      const inputFile = path.join(workDir, `${label}.bin`);
      await writeFile(inputFile, new Uint8Array(quantized.buffer));
      const run = spawnSync(path.join(cDir, 'run_model'), [inputFile], { encoding: 'utf8' });
      expect(run.status).toBe(0);
      const outputs = run.stdout.trim().split('\n').filter((line) => /^-?\d+$/.test(line)).map(Number);
      expect(outputs).toHaveLength(labels.length);
      expect(labels[outputs.indexOf(Math.max(...outputs))]).toBe(label);
    }
  });

  test('project reloads from disk intact', async () => {
    // A new server process reads only what is on disk.
    await serve?.stop();
    serve = await startServeProcess(serveEnv);
    const page = await openApp('zero');
    await page.getByRole('button', { name: projectDir }).click();
    await classCard(page, 'five').waitFor();
    expect(await page.getByTestId('class-card').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-class-name')))).toEqual(['zero', 'five']);
    for (const name of ['zero', 'five']) {
      expect(await classCard(page, name).getByTestId('sample-count').textContent()).toContain(String(FRAMES_PER_CLASS));
    }
    await page.locator('[data-screen="train"]').click();
    expect(await page.getByTestId('epochs').inputValue()).toBe('30');
    await page.getByTestId('saved-report').waitFor();
    await page.getByTestId('confusion-matrix').waitFor();

    await page.locator('[data-screen="preview"]').click();
    expect(await liveLabels(page, 'zero', 5)).toEqual(['zero', 'zero', 'zero', 'zero', 'zero']);
  });

  test('zh-TW screens fully translated and labelled', async () => {
    // The persistent context opens with a blank page; the app is in the last one.
    const page = session!.context.pages().at(-1)!;
    await page.getByTestId('language').selectOption('zh-TW');
    const leftovers: Record<string, string[]> = {};
    const unlabelled: Record<string, string[]> = {};
    for (const screen of ['home', 'classes', 'train', 'preview', 'export']) {
      await page.locator(`[data-screen="${screen}"]`).click();
      await page.waitForTimeout(300);
      if (screen === 'classes') await classCard(page, 'zero').getByTestId('webcam-toggle').click();
      await screenshot(page, `zh-TW-${screen}`);
      leftovers[screen] = englishWords(await visibleUiText(page));
      unlabelled[screen] = await unlabelledControls(page);
    }
    expect(unlabelled).toEqual({ home: [], classes: [], train: [], preview: [], export: [] });
    expect(leftovers).toEqual({ home: [], classes: [], train: [], preview: [], export: [] });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-TW');
  });

  // Copying rewrites tracked files, so it runs only on request: EDGE_TRAINER_UPDATE_SCREENSHOTS=1.
  test.runIf(process.env.EDGE_TRAINER_UPDATE_SCREENSHOTS === '1')('screenshots copied for the READMEs', async () => {
    const docs = path.join(PROJECT_ROOT, 'docs', 'screenshots');
    await mkdir(docs, { recursive: true });
    for (const name of ['01-home', '02-classes', '03-train', '04-preview', '05-export', 'zh-TW-classes', 'zh-TW-train']) {
      await copyFile(path.join(ARTIFACTS, `${name}.png`), path.join(docs, `${name}.png`));
    }
    expect(existsSync(path.join(docs, '03-train.png'))).toBe(true);
  });
});
