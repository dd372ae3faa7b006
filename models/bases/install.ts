// Installs the pretrained bases into the pretrained folder (models/pretrained or
// EDGE_TRAINER_MODELS) from one of three sources: a folder of bases, a Teachable Machine image
// export (which embeds its base), or an HTTP(S) URL serving the same layout as the folder.
// Every base is verified by its canonical weight checksum before it is written, and it is written
// to a staging folder first, so a corrupt or interrupted install leaves nothing half-written.

import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { cutBaseArtifacts } from '../classifier/cut-base.js';
import { readClassifierMetadata } from '../classifier/metadata.js';
import { EdgeTrainerError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { MODEL_JSON, readLayersArtifacts, WEIGHTS_BIN } from '../io/layers-dir.js';
import { pretrainedDir } from '../paths.js';
import { canonicalWeightChecksum } from './checksum.js';
import { baseDir, readVerifiedBase } from './load.js';
import { BASES, type BaseInfo } from './registry.js';

export type InstallSource = { kind: 'dir'; dir: string } | { kind: 'tm-export'; dir: string } | { kind: 'url'; url: string };

export interface InstalledBase {
  id: string;
  dir: string;
  /** 'installed' when written now, 'unchanged' when the same verified weights were already there. */
  status: 'installed' | 'unchanged';
}

export interface InstallOptions {
  /** Pretrained folder to install into; default pretrainedDir(). */
  target?: string;
  /** Called with a line of progress, such as a finished download. */
  onProgress?: (message: string) => void;
  /** Per-file download timeout in milliseconds. */
  downloadTimeoutMs?: number;
}

const DEFAULT_DOWNLOAD_TIMEOUT_MS = 120_000;

function checksumOf(artifacts: tf.io.ModelArtifacts): string {
  try {
    return canonicalWeightChecksum(artifacts);
  } catch (error) {
    return `unreadable (${(error as Error).message})`;
  }
}

/** Checks `artifacts` against the registry entry for `info`; `source` names the origin in the error. */
function verify(info: BaseInfo, artifacts: tf.io.ModelArtifacts, source: string): void {
  const count = artifacts.weightSpecs?.length ?? 0;
  const checksum = checksumOf(artifacts);
  if (count !== info.weightTensorCount || checksum !== info.weightChecksum) {
    throw new EdgeTrainerError('corrupt_model', `The base ${info.id} from ${source} has the wrong weights (${count} tensors, checksum ${checksum}; expected ${info.weightTensorCount} tensors, checksum ${info.weightChecksum}).`, {
      path: source,
      hint: 'The copy is damaged or is another model. Get the base again from a trusted copy.',
    });
  }
}

/** Finds the registered base whose weights are `artifacts`, or null. */
function identify(artifacts: tf.io.ModelArtifacts): BaseInfo | null {
  const checksum = checksumOf(artifacts);
  return Object.values(BASES).find((info) => info.weightChecksum === checksum) ?? null;
}

async function isVerifiedInstall(info: BaseInfo, target: string): Promise<boolean> {
  try {
    await readVerifiedBase(info.id, target);
    return true;
  } catch {
    return false;
  }
}

/** Makes a folder and its files writable again, because installed bases are often read-only. */
async function makeWritable(dir: string): Promise<void> {
  await chmod(dir, 0o755).catch(() => {});
  for (const name of await readdir(dir).catch(() => [] as string[])) await chmod(path.join(dir, name), 0o644).catch(() => {});
}

/**
 * Writes one base as model.json plus a single weights.bin into its folder under `target`. The files
 * go to a staging folder that replaces the old base only when complete.
 */
async function writeBase(info: BaseInfo, artifacts: tf.io.ModelArtifacts, target: string): Promise<string> {
  const destination = baseDir(info.id, target);
  const suffix = randomBytes(4).toString('hex');
  const staging = `${destination}.partial-${suffix}`;
  await mkdir(staging, { recursive: true });
  try {
    const modelJson = {
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
    };
    await writeFileAtomic(path.join(staging, WEIGHTS_BIN), new Uint8Array(artifacts.weightData as ArrayBuffer));
    await writeFileAtomic(path.join(staging, MODEL_JSON), JSON.stringify(modelJson));
    // Read back what was written, so a full disk or a bad write is caught before the swap.
    verify(info, await readLayersArtifacts(staging), staging);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }

  const previous = `${destination}.previous-${suffix}`;
  const hadPrevious = await stat(destination).then(
    () => true,
    () => false,
  );
  if (hadPrevious) await rename(destination, previous);
  try {
    await rename(staging, destination);
  } catch (error) {
    if (hadPrevious) await rename(previous, destination);
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  if (hadPrevious) {
    await makeWritable(previous);
    await rm(previous, { recursive: true, force: true });
  }
  return destination;
}

interface FetchedBase {
  info: BaseInfo;
  artifacts: tf.io.ModelArtifacts;
  /** File, folder or URL the weights came from, for error messages. */
  source: string;
}

/** Verifies every fetched base before writing any, so one bad copy installs nothing. */
async function installAll(fetched: readonly FetchedBase[], target: string): Promise<InstalledBase[]> {
  for (const { info, artifacts, source } of fetched) verify(info, artifacts, source);
  await mkdir(target, { recursive: true });
  const installed: InstalledBase[] = [];
  for (const { info, artifacts } of fetched) {
    const dir = baseDir(info.id, target);
    if (await isVerifiedInstall(info, target)) installed.push({ id: info.id, dir, status: 'unchanged' });
    else installed.push({ id: info.id, dir: await writeBase(info, artifacts, target), status: 'installed' });
  }
  return installed;
}

async function readSourceBase(info: BaseInfo, dir: string): Promise<tf.io.ModelArtifacts> {
  const baseFolder = path.join(dir, info.dirName);
  try {
    return await readLayersArtifacts(baseFolder);
  } catch (error) {
    if ((error as EdgeTrainerError).code !== 'not_found') throw error;
    throw new EdgeTrainerError('not_found', `The base ${info.id} is not in ${dir}: there is no ${path.join(info.dirName, MODEL_JSON)}.`, {
      path: baseFolder,
      hint: `Point --from to the folder that contains ${Object.values(BASES).map((base) => base.dirName).join(' and ')}.`,
      cause: error,
    });
  }
}

async function installFromDir(dir: string, target: string): Promise<InstalledBase[]> {
  const sourceInfo = await stat(dir).catch((error: unknown) => {
    throw new EdgeTrainerError('not_found', `Folder not found: ${dir}.`, { path: dir, hint: 'Check the path given to --from.', cause: error });
  });
  if (!sourceInfo.isDirectory()) throw new EdgeTrainerError('invalid_input', `${dir} is not a folder.`, { path: dir, hint: 'Give --from the folder that contains the base folders.' });

  const fetched: FetchedBase[] = [];
  for (const info of Object.values(BASES)) {
    fetched.push({ info, artifacts: await readSourceBase(info, dir), source: path.join(dir, info.dirName) });
  }
  return installAll(fetched, target);
}

async function installFromTmExport(dir: string, target: string): Promise<InstalledBase[]> {
  // Rejects sound and pose exports by their metadata before their weights are read.
  await readClassifierMetadata(dir);
  const artifacts = cutBaseArtifacts(await readLayersArtifacts(dir), path.join(dir, MODEL_JSON));
  const info = identify(artifacts);
  if (!info) {
    throw new EdgeTrainerError('corrupt_model', `The base inside ${dir} is none of ${Object.keys(BASES).join(', ')} (checksum ${checksumOf(artifacts)}).`, {
      path: path.join(dir, MODEL_JSON),
      hint: 'Use an image export from Teachable Machine (standard or embedded "tiny" model), whose base is never retrained.',
    });
  }
  return installAll([{ info, artifacts, source: dir }], target);
}

async function download(url: string, timeoutMs: number): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (error) {
    throw new EdgeTrainerError('not_found', `Download of ${url} failed: ${(error as Error).message}.`, {
      path: url,
      hint: 'Check the address and the network, or install from a folder with --from.',
      cause: error,
    });
  }
  if (!response.ok) {
    throw new EdgeTrainerError('not_found', `Download of ${url} failed: HTTP ${response.status} ${response.statusText}.`, {
      path: url,
      hint: 'Check that the address serves the base folders (for example URL/mobilenet_v2_0.35_224/model.json).',
    });
  }
  return new Uint8Array(await response.arrayBuffer());
}

/** Downloads one base's model.json and every weight file it lists, relative to the model.json URL. */
async function downloadBase(modelJsonUrl: string, timeoutMs: number, onProgress: (message: string) => void): Promise<tf.io.ModelArtifacts> {
  const jsonBytes = await download(modelJsonUrl, timeoutMs);
  let json: { modelTopology?: unknown; weightsManifest?: tf.io.WeightsManifestConfig; format?: string; generatedBy?: string; convertedBy?: string | null };
  try {
    json = JSON.parse(new TextDecoder().decode(jsonBytes));
  } catch (error) {
    throw new EdgeTrainerError('corrupt_model', `The file at ${modelJsonUrl} is not valid JSON.`, { path: modelJsonUrl, hint: 'Check that the URL points to the base folders.', cause: error });
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new EdgeTrainerError('corrupt_model', `${modelJsonUrl} is not a TensorFlow.js layers model.json.`, { path: modelJsonUrl, hint: 'Check that the URL points to the base folders.' });
  }

  const specs: tf.io.WeightsManifestEntry[] = [];
  const shards: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const shardPath of group.paths) {
      const shardUrl = new URL(shardPath, modelJsonUrl).href;
      shards.push(await download(shardUrl, timeoutMs));
      onProgress(`downloaded ${shardUrl}`);
    }
  }
  return {
    modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: specs,
    weightData: tf.io.concatenateArrayBuffers(shards.map((shard) => shard.slice().buffer)),
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? undefined,
  };
}

async function installFromUrl(url: string, target: string, options: InstallOptions): Promise<InstalledBase[]> {
  let root: URL;
  try {
    root = new URL(url.endsWith('/') ? url : `${url}/`);
  } catch (error) {
    throw new EdgeTrainerError('invalid_argument', `Invalid URL "${url}".`, { hint: 'Give an http:// or https:// address of the folder that serves the bases.', cause: error });
  }
  if (root.protocol !== 'http:' && root.protocol !== 'https:') {
    throw new EdgeTrainerError('invalid_argument', `Unsupported URL scheme in "${url}".`, { hint: 'Use http:// or https://, or --from for a local folder.' });
  }

  const fetched: FetchedBase[] = [];
  for (const info of Object.values(BASES)) {
    const modelJsonUrl = new URL(`${info.dirName}/${MODEL_JSON}`, root).href;
    const artifacts = await downloadBase(modelJsonUrl, options.downloadTimeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS, options.onProgress ?? (() => {}));
    fetched.push({ info, artifacts, source: modelJsonUrl });
  }
  return installAll(fetched, target);
}

type Installer<Kind extends InstallSource['kind']> = (source: Extract<InstallSource, { kind: Kind }>, target: string, options: InstallOptions) => Promise<InstalledBase[]>;

const INSTALLERS: { readonly [Kind in InstallSource['kind']]: Installer<Kind> } = Object.freeze({
  dir: (source, target) => installFromDir(path.resolve(source.dir), target),
  'tm-export': (source, target) => installFromTmExport(path.resolve(source.dir), target),
  url: (source, target, options) => installFromUrl(source.url, target, options),
});

/** Installs the bases `source` provides and returns what was written or already in place. */
export async function installBases(source: InstallSource, options: InstallOptions = {}): Promise<InstalledBase[]> {
  const target = path.resolve(options.target ?? pretrainedDir());
  const installer = INSTALLERS[source.kind] as Installer<typeof source.kind>;
  return installer(source as never, target, options);
}
