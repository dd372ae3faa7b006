import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeJson, decodeJson } from '../../electron/api/codec.js';
import type { ApiErrorView } from '../../electron/api/types.js';
import { startHttpServer, type RunningServer } from '../../electron/server/http-server.js';
import { JoinGuard, MAX_JOIN_ATTEMPTS, TOKEN_HEADER } from '../../electron/server/security.js';
import { resolveInside } from '../../electron/server/static-files.js';
import { AppService } from '../../electron/service/app-service.js';
import { testDataDir } from '../../models/paths.js';

let workDir: string;
let server: RunningServer;

async function callApi(channel: string, request: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(`${server.url}api/call/${channel}`, { method: 'POST', headers, body: encodeJson({ request }) });
}

async function resultOf(response: Response): Promise<{ type: string; result?: unknown; error?: ApiErrorView }> {
  const lines = (await response.text()).trim().split('\n');
  return decodeJson(lines[lines.length - 1]) as { type: string; result?: unknown; error?: ApiErrorView };
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'edge-trainer-http-'));
  const rendererDir = path.join(workDir, 'renderer');
  await mkdir(rendererDir);
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>test</title>');
  const service = new AppService({ version: 'test', transport: 'http', configDir: path.join(workDir, 'config'), workspaceDir: path.join(workDir, 'ws') });
  server = await startHttpServer({ handlers: service.handlers(), rendererDir, projectDir: () => service.projectDir });
});

afterAll(async () => {
  await server.close();
  await rm(workDir, { recursive: true, force: true });
});

describe('HTTP transport security', () => {
  test('listens on loopback only', () => expect(new URL(server.url).hostname).toBe('127.0.0.1'));

  test('token in URL fragment', () => expect(server.urlWithToken).toBe(`${server.url}#token=${server.token}`));

  test('request without token rejected', async () => {
    const response = await callApi('app:info', {}, {});
    expect(response.status).toBe(401);
  });

  test('request with wrong token rejected', async () => {
    const response = await callApi('app:info', {}, { [TOKEN_HEADER]: 'x'.repeat(server.token.length) });
    expect(response.status).toBe(401);
  });

  test('foreign origin rejected even with token', async () => {
    const response = await callApi('app:info', {}, { [TOKEN_HEADER]: server.token, origin: 'http://evil.example' });
    expect(response.status).toBe(403);
  });

  test('other localhost port rejected as origin', async () => {
    const response = await callApi('app:info', {}, { [TOKEN_HEADER]: server.token, origin: 'http://127.0.0.1:1' });
    expect(response.status).toBe(403);
  });

  test('own origin with token accepted', async () => {
    const response = await callApi('app:info', {}, { [TOKEN_HEADER]: server.token, origin: new URL(server.url).origin });
    expect(response.status).toBe(200);
    expect((await resultOf(response)).result).toMatchObject({ version: 'test', transport: 'http' });
  });

  test('foreign Host header rejected', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/', headers: { host: 'rebind.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  test('project files need the token', async () => {
    const response = await fetch(`${server.url}files/project.json`);
    expect(response.status).toBe(401);
  });

  test('unknown channel answers 404', async () => {
    const response = await callApi('fs:read', {}, { [TOKEN_HEADER]: server.token });
    expect(response.status).toBe(404);
  });

  test('page served with CSP header', async () => {
    const response = await fetch(server.url);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  test('engine error carried as coded error', async () => {
    const response = await callApi('class:add', { name: 'a' }, { [TOKEN_HEADER]: server.token });
    const line = await resultOf(response);
    expect(line.type).toBe('error');
    expect(line.error?.code).toBe('invalid_argument');
  });

  test('engine error carries its message key', async () => {
    const response = await callApi('project:open', { dir: '/nonexistent-edge-trainer-project' }, { [TOKEN_HEADER]: server.token });
    const line = await resultOf(response);
    expect(line.error?.key).toBe('project_not_found');
    expect(line.error?.params).toEqual({ dir: '/nonexistent-edge-trainer-project' });
  });
});

describe('project round trip over HTTP', () => {
  test('create, add class and sample, serve its file', async () => {
    const headers = { [TOKEN_HEADER]: server.token };
    const dir = path.join(workDir, 'ws', 'p');
    await resultOf(await callApi('project:create', { dir, name: 'P' }, headers));
    const added = (await resultOf(await callApi('class:add', { name: 'cat' }, headers))).result as { classes: { id: string }[] };
    const png = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64'));
    const view = (await resultOf(await callApi('sample:add', { classId: added.classes[0].id, files: [{ name: 'dot.png', bytes: png }] }, headers))).result as { samples: { file: string }[] };
    expect(view.samples).toHaveLength(1);
    const file = await fetch(`${server.url}files/${view.samples[0].file}?token=${server.token}`);
    expect(file.status).toBe(200);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(png);
  });

  test('path outside the project not served', async () => {
    const response = await fetch(`${server.url}files/..%2F..%2Fconfig%2Frecent-projects.json?token=${server.token}`);
    expect(response.status).toBe(404);
  });
});

const SIGNS = path.join(testDataDir(), 'gestures', 'sign-language-digits');

describe.skipIf(!existsSync(SIGNS))('training over HTTP', () => {
  test('progress streams, then cancel stops the job', async () => {
    const headers = { [TOKEN_HEADER]: server.token };
    const view = (await resultOf(await callApi('project:create', { dir: path.join(workDir, 'ws', 'cancel'), name: 'cancel' }, headers))).result as { settings: Record<string, unknown> };
    for (const digit of ['1', '2']) {
      const added = (await resultOf(await callApi('class:add', { name: `sign ${digit}` }, headers))).result as { classes: { id: string }[] };
      const names = (await readdir(path.join(SIGNS, digit))).filter((name) => /\.jpe?g$/i.test(name)).slice(0, 4);
      const files = await Promise.all(names.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(path.join(SIGNS, digit, name))) })));
      await resultOf(await callApi('sample:add', { classId: added.classes.at(-1)!.id, files }, headers));
    }

    const response = await fetch(`${server.url}api/call/train:start`, {
      method: 'POST',
      headers,
      body: encodeJson({ request: { settings: { ...view.settings, epochs: 100_000 } }, jobId: 'job-1' }),
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const lines: { type: string; progress?: { stage: string }; error?: { code: string } }[] = [];
    let buffered = '';
    let cancelled = false;
    for (;;) {
      const { value, done } = await reader.read();
      buffered += value ?? '';
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      lines.push(...parts.filter(Boolean).map((line) => decodeJson(line) as (typeof lines)[number]));
      if (!cancelled && lines.some((line) => line.progress?.stage === 'training')) {
        cancelled = true;
        const cancel = await fetch(`${server.url}api/cancel`, { method: 'POST', headers, body: JSON.stringify({ jobId: 'job-1' }) });
        expect(((await cancel.json()) as { cancelled: boolean }).cancelled).toBe(true);
      }
      if (done) break;
    }
    expect(lines.some((line) => line.progress?.stage === 'embedding')).toBe(true);
    expect(lines.at(-1)?.type).toBe('error');
    expect(lines.at(-1)?.error?.code).toBe('cancelled');
  });
});

describe('classroom join', () => {
  // The join flow with --lan, kept on the loopback address: this suite never listens beyond it.
  test('join code exchanged for the token', async () => {
    const rendererDir = path.join(workDir, 'renderer');
    const service = new AppService({ version: 'test', transport: 'http', configDir: path.join(workDir, 'config-lan'), workspaceDir: workDir });
    const lan = await startHttpServer({ handlers: service.handlers(), rendererDir, projectDir: () => undefined, lan: true, listenHost: '127.0.0.1' });
    try {
      const wrong = await fetch(`${lan.url}api/join`, { method: 'POST', body: JSON.stringify({ code: lan.joinCode === '000000' ? '111111' : '000000' }) });
      expect(wrong.status).toBe(403);
      const right = await fetch(`${lan.url}api/join`, { method: 'POST', body: JSON.stringify({ code: lan.joinCode }) });
      expect(right.status).toBe(200);
      expect(((await right.json()) as { token: string }).token).toBe(lan.token);
    } finally {
      await lan.close();
    }
  });

  test('join refused without --lan', async () => {
    const response = await fetch(`${server.url}api/join`, { method: 'POST', body: JSON.stringify({ code: '123456' }) });
    expect(response.status).toBe(404);
  });
});

describe('path and join helpers', () => {
  test('resolveInside keeps paths inside', () => expect(resolveInside('/root/p', 'a/b.jpg')).toBe('/root/p/a/b.jpg'));
  test('resolveInside clamps parent escape', () => expect(resolveInside('/root/p', '../../etc/passwd')).toBe('/root/p/etc/passwd'));
  test('resolveInside rejects the root itself', () => expect(resolveInside('/root/p', '')).toBeUndefined());

  test('join code accepted', () => expect(new JoinGuard('123456').check('10.0.0.2', '123456')).toBe('ok'));
  test('wrong join code rejected', () => expect(new JoinGuard('123456').check('10.0.0.2', '654321')).toBe('wrong'));
  test('join locks after repeated failures', () => {
    const guard = new JoinGuard('123456');
    for (let i = 0; i < MAX_JOIN_ATTEMPTS; i++) guard.check('10.0.0.3', '000000');
    expect(guard.check('10.0.0.3', '123456')).toBe('locked');
  });
});
