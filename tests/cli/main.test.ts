import { describe, expect, it } from 'vitest';
import { lastJsonLine, runCli } from './run-cli.js';

describe('cli framework', () => {
  it('help in English by default', () => {
    const run = runCli(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: edge-trainer');
  });

  it('help in zh-TW from LANG', () => {
    const run = runCli(['--help'], { LANG: 'zh_TW.UTF-8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('用法');
  });

  it('--lang overrides the locale', () => {
    const run = runCli(['--lang', 'en', '--help'], { LANG: 'zh_TW.UTF-8' });
    expect(run.stdout).toContain('Usage: edge-trainer');
  });

  it('invalid --lang exits 2', () => {
    expect(runCli(['--lang', 'fr', '--help']).status).toBe(2);
  });

  it('unknown command exits 2', () => {
    const run = runCli(['frobnicate']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("'frobnicate'");
  });

  it('unknown option exits 2 with a hint', () => {
    const run = runCli(['bases', '--frobnicate']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--help');
  });

  it('bases --json ends stdout with the result', () => {
    const run = runCli(['bases', '--json']);
    expect(run.status).toBe(0);
    const result = lastJsonLine(run.stdout) as { bases: { id: string; status: string }[] };
    expect(result.bases.map((base) => base.status)).toEqual(['ok', 'ok']);
  });

  it('bases exits 0 and reports a missing base', () => {
    const run = runCli(['bases', '--json'], { EDGE_TRAINER_MODELS: '/nonexistent-edge-trainer-models' });
    const result = lastJsonLine(run.stdout) as { bases: { status: string }[] };
    expect(result.bases[0].status).toBe('missing');
    expect(run.stderr).toContain('models:install');
  });

  it('error without stack by default', () => {
    const run = runCli(['info', '/nonexistent-edge-trainer-model']);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('/nonexistent-edge-trainer-model');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('error with stack under EDGE_TRAINER_DEBUG', () => {
    const run = runCli(['info', '/nonexistent-edge-trainer-model'], { EDGE_TRAINER_DEBUG: '1' });
    expect(run.stderr).toMatch(/^\s+at /m);
  });

  it('error summary in zh-TW', () => {
    const run = runCli(['info', '/nonexistent-edge-trainer-model', '--json'], { LANG: 'zh_TW.UTF-8' });
    expect(run.stderr).toContain('找不到模型：/nonexistent-edge-trainer-model');
    expect((lastJsonLine(run.stdout).error as { code: string }).code).toBe('not_found');
  });
});
