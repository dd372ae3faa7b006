import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../models/backend.js';
import { installBases } from '../../models/bases/install.js';
import { loadBase, readVerifiedBase } from '../../models/bases/load.js';
import { BASES } from '../../models/bases/registry.js';
import { pretrainedDir, testDataDir } from '../../models/paths.js';
import { maxAbsDifference, photoBatch, samplePhotos } from '../classifier/fixtures.js';

let scratch: string;
let server: http.Server;
let baseUrl: string;

/**
 * Serves the installed bases on 127.0.0.1 in three forms: as they are under /good/, with
 * weights.bin split into two shards under /sharded/, and with one weight byte changed under
 * /corrupt/. Every other path is a 404.
 */
function handle(request: http.IncomingMessage, response: http.ServerResponse): void {
  const [, mode, dirName, file] = (request.url ?? '').split('/');
  const info = Object.values(BASES).find((entry) => entry.dirName === dirName);
  if (!info || !['good', 'sharded', 'corrupt'].includes(mode)) {
    response.writeHead(404).end();
    return;
  }
  const folder = path.join(pretrainedDir(), dirName);
  const modelJson = JSON.parse(readFileSync(path.join(folder, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
  const weights = readFileSync(path.join(folder, 'weights.bin'));
  const half = Math.floor(weights.length / 8) * 4;

  if (file === 'model.json') {
    if (mode === 'sharded') modelJson.weightsManifest[0].paths = ['shard1.bin', 'shard2.bin'];
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(modelJson));
  } else if (mode === 'sharded' && file === 'shard1.bin') {
    response.writeHead(200).end(weights.subarray(0, half));
  } else if (mode === 'sharded' && file === 'shard2.bin') {
    response.writeHead(200).end(weights.subarray(half));
  } else if (mode !== 'sharded' && file === 'weights.bin') {
    const body = Buffer.from(weights);
    if (mode === 'corrupt') body[1000] ^= 0xff;
    response.writeHead(200).end(body);
  } else {
    response.writeHead(404).end();
  }
}

function freshTarget(name: string): string {
  return path.join(scratch, name);
}

describe('installBases', () => {
  beforeAll(async () => {
    await initBackend('wasm');
    scratch = await mkdtemp(path.join(os.tmpdir(), 'edge-trainer-install-'));
    server = http.createServer(handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(scratch, { recursive: true, force: true });
  });

  it('from a folder installs both bases', async () => {
    const target = freshTarget('from-dir');
    const installed = await installBases({ kind: 'dir', dir: pretrainedDir() }, { target });
    expect(installed.map((base) => base.status)).toEqual(['installed', 'installed']);
    for (const id of Object.keys(BASES)) await expect(readVerifiedBase(id, target)).resolves.toBeDefined();
  });

  it('a second install leaves bases unchanged', async () => {
    const installed = await installBases({ kind: 'dir', dir: pretrainedDir() }, { target: freshTarget('from-dir') });
    expect(installed.map((base) => base.status)).toEqual(['unchanged', 'unchanged']);
  });

  it('replaces a damaged read-only base', async () => {
    const target = freshTarget('damaged');
    await installBases({ kind: 'dir', dir: pretrainedDir() }, { target });
    const folder = path.join(target, BASES['mobilenet-v2-224'].dirName);
    const weightsFile = path.join(folder, 'weights.bin');
    const weights = await readFile(weightsFile);
    weights[0] ^= 0xff;
    await writeFile(weightsFile, weights);
    await chmod(weightsFile, 0o444);
    await chmod(folder, 0o555);
    await expect(readVerifiedBase('mobilenet-v2-224', target)).rejects.toMatchObject({ code: 'missing_base' });

    const installed = await installBases({ kind: 'dir', dir: pretrainedDir() }, { target });
    expect(installed[0].status).toBe('installed');
    await expect(readVerifiedBase('mobilenet-v2-224', target)).resolves.toBeDefined();
    expect(await readdir(target)).toEqual(Object.values(BASES).map((info) => info.dirName).sort());
  });

  it('from a missing folder is not_found', async () => {
    await expect(installBases({ kind: 'dir', dir: path.join(scratch, 'nothing') }, { target: freshTarget('none') })).rejects.toMatchObject({ code: 'not_found' });
  });

  for (const [exportName, baseId] of [
    ['image-1', 'mobilenet-v2-224'],
    ['tiny-image-1', 'mobilenet-v1-96-gray'],
  ] as const) {
    it(`from TM export ${exportName} gives ${baseId}`, async () => {
      const target = freshTarget(`tm-${exportName}`);
      const installed = await installBases({ kind: 'tm-export', dir: path.join(testDataDir(), 'tm-exports', exportName) }, { target });
      expect(installed).toEqual([{ id: baseId, dir: path.join(target, BASES[baseId].dirName), status: 'installed' }]);

      // The cut base computes the same features as the installed one.
      const cut = await tf.loadLayersModel(tf.io.fromMemory(await readVerifiedBase(baseId, target)));
      const reference = await loadBase(baseId);
      const inputs = await photoBatch(samplePhotos(), BASES[baseId].input);
      const ours = cut.predict(inputs) as tf.Tensor;
      const theirs = reference.predict(inputs) as tf.Tensor;
      expect(maxAbsDifference(ours, theirs)).toBeLessThanOrEqual(1e-5);
      tf.dispose([inputs, ours, theirs]);
      cut.dispose();
    });
  }

  it('from an audio export is rejected', async () => {
    const target = freshTarget('tm-audio');
    await expect(installBases({ kind: 'tm-export', dir: path.join(testDataDir(), 'tm-exports', 'audio-1') }, { target })).rejects.toMatchObject({ code: 'unsupported' });
  });

  it('from a URL installs both bases', async () => {
    const target = freshTarget('url');
    const installed = await installBases({ kind: 'url', url: `${baseUrl}/good/` }, { target });
    expect(installed.map((base) => base.status)).toEqual(['installed', 'installed']);
  });

  it('from a URL with sharded weights', async () => {
    const target = freshTarget('url-sharded');
    await installBases({ kind: 'url', url: `${baseUrl}/sharded` }, { target });
    for (const id of Object.keys(BASES)) await expect(readVerifiedBase(id, target)).resolves.toBeDefined();
  });

  it('corrupt download writes nothing', async () => {
    const target = freshTarget('url-corrupt');
    await expect(installBases({ kind: 'url', url: `${baseUrl}/corrupt/` }, { target })).rejects.toMatchObject({ code: 'corrupt_model' });
    await expect(readdir(target)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('HTTP 404 is not_found', async () => {
    const target = freshTarget('url-404');
    await expect(installBases({ kind: 'url', url: `${baseUrl}/absent/` }, { target })).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('404') });
  });
});
