// Starts `edge-trainer serve` as a child process on a free port and reads the URL it prints first.

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../../models/paths.js';

export interface ServeProcess {
  /** First stdout line: the URL with #token=... */
  urlWithToken: string;
  baseUrl: string;
  token: string;
  stderr: () => string;
  stop: () => Promise<void>;
}

export async function startServeProcess(env: NodeJS.ProcessEnv, args: readonly string[] = []): Promise<ServeProcess> {
  const child: ChildProcess = spawn(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'edge-trainer.js'), 'serve', '--port', '0', ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with code ${code} before printing its URL:\n${stderr}`)));
  });
  const url = new URL(firstLine);
  const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
  return {
    urlWithToken: firstLine,
    baseUrl: `${url.origin}/`,
    token,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
