// The engine utility process's message loop, run in this process with a stand-in for Electron's
// process.parentPort (the only Electron API it uses).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { EngineReply, EngineRequest } from '../../electron/engine/protocol.js';

let workDir: string;
let deliver: (message: EngineRequest) => void = () => undefined;
const replies: EngineReply[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'edge-trainer-host-'));
  process.env.EDGE_TRAINER_CONFIG_DIR = path.join(workDir, 'config');
  process.env.EDGE_TRAINER_WORKSPACE = workDir;
  process.env.EDGE_TRAINER_APP_VERSION = '9.9.9';
  (process as unknown as { parentPort: unknown }).parentPort = {
    on: (_event: 'message', listener: (message: { data: EngineRequest }) => void) => {
      deliver = (data) => listener({ data });
    },
    postMessage: (reply: EngineReply) => replies.push(reply),
  };
  await import('../../electron/engine/host.js');
});

afterAll(async () => {
  delete (process as unknown as { parentPort?: unknown }).parentPort;
  await rm(workDir, { recursive: true, force: true });
});

async function reply(id: number): Promise<EngineReply> {
  await vi.waitFor(() => expect(replies.some((item) => 'id' in item && item.id === id && item.type !== 'progress')).toBe(true));
  return replies.find((item) => 'id' in item && item.id === id && item.type !== 'progress')!;
}

describe('engine host', () => {
  test('call returns its result', async () => {
    deliver({ type: 'call', id: 1, channel: 'app:info', request: {} });
    expect(await reply(1)).toMatchObject({ type: 'result', result: { version: '9.9.9', transport: 'electron' } });
  });

  test('engine error returned with code', async () => {
    deliver({ type: 'call', id: 2, channel: 'class:add', request: { name: 'a' } });
    expect(await reply(2)).toMatchObject({ type: 'error', error: { code: 'invalid_argument' } });
  });

  test('opened project reported to main', async () => {
    const dir = path.join(workDir, 'p');
    deliver({ type: 'call', id: 3, channel: 'project:create', request: { dir, name: 'p' } });
    expect(await reply(3)).toMatchObject({ type: 'result' });
    expect(replies).toContainEqual({ type: 'project-dir', dir });
  });

  test('cancel of unknown job ignored', () => {
    expect(() => deliver({ type: 'cancel', id: 99 })).not.toThrow();
  });
});
