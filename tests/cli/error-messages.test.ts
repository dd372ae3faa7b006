import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDataDir } from '../../models/paths.js';
import { runCli } from './run-cli.js';

const ZH_TW = { LANG: 'zh_TW.UTF-8' };
const tmImage = path.join(testDataDir(), 'tm-exports', 'image-1');
const tfliteModel = path.join(testDataDir(), 'tm-tflite-keras', 'fruit', 'converted_tflite_quantized', 'model.tflite');

/** Returns the text after the error prefix: the message line and the hint line. */
function errorLines(stderr: string): string {
  const start = stderr.indexOf('錯誤：');
  return start < 0 ? '' : stderr.slice(start);
}

describe('cli error messages in zh-TW', () => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'edge-trainer-errors-'));
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('empty jpg', async () => {
    const image = path.join(scratch, 'empty.jpg');
    await writeFile(image, new Uint8Array(0));
    const run = runCli(['predict', tmImage, image], ZH_TW);
    const text = errorLines(run.stderr);
    expect(run.status).toBe(3);
    expect(text).toContain(`無法讀取影像 ${image}：檔案是空的（0 位元組）。`);
    expect(text).not.toContain('Cannot read image');
    expect(text).not.toContain('the file is empty');
  });

  it('corrupt project.json', async () => {
    const project = path.join(scratch, 'broken-project');
    await mkdir(project);
    const file = path.join(project, 'project.json');
    await writeFile(file, '{"version": 1,');
    const run = runCli(['train', project], ZH_TW);
    const text = errorLines(run.stderr);
    expect(run.status).not.toBe(0);
    expect(text).toContain(`專案檔 ${file} 已損壞：內容不是正確的 JSON。`);
    expect(text).toContain('請用備份還原 project.json');
    expect(text).not.toContain('Invalid project file');
    expect(text).not.toContain('Restore project.json from a backup');
    expect(await readFile(file, 'utf8')).toBe('{"version": 1,');
  });

  it('truncated tflite', async () => {
    const file = path.join(scratch, 'truncated.tflite');
    const bytes = await readFile(tfliteModel);
    await writeFile(file, bytes.subarray(0, 1000));
    const run = runCli(['info', file], ZH_TW);
    const text = errorLines(run.stderr);
    expect(run.status).not.toBe(0);
    expect(text).toContain(`TFLite 檔 ${file} 已損壞或不完整。`);
    expect(text).toContain('請重新匯出模型');
    expect(text).not.toContain('Invalid TFLite file');
    expect(text).not.toContain('Export the model again');
  });

  it('English keeps the engine detail', async () => {
    const file = path.join(scratch, 'truncated-en.tflite');
    await writeFile(file, (await readFile(tfliteModel)).subarray(0, 1000));
    const run = runCli(['info', file]);
    expect(run.stderr).toContain(`Invalid TFLite file ${file}: `);
    expect(run.stderr).toContain('Export the model again');
  });

  it('json output keeps the engine detail', async () => {
    const file = path.join(scratch, 'truncated-json.tflite');
    await writeFile(file, (await readFile(tfliteModel)).subarray(0, 1000));
    const run = runCli(['info', file, '--json'], ZH_TW);
    const lines = run.stdout.trimEnd().split('\n');
    const error = (JSON.parse(lines[lines.length - 1]) as { error: { message: string } }).error;
    expect(error.message).toContain(`Invalid TFLite file ${file}:`);
  });
});
