// The ONNX graph of a pretrained base with global average pooling appended (input
// [batch, size, size, channels], output [batch, embeddingSize]), exported once and cached on disk.
// The cache file name carries the base's weight checksum and the exporter version, so a new
// base or a new exporter never reads an old graph.

import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend.js';
import { getBaseInfo, loadBase, readVerifiedBase } from '../bases/load.js';
import { ONNX_EXPORTER_VERSION, exportOnnx, writeOnnxFile } from '../exporters/onnx/export.js';
import { logger } from '../log.js';
import { pretrainedDir } from '../paths.js';

/** Folder under the pretrained directory for the exported base graphs. */
export const BASE_GRAPH_CACHE_DIR = 'onnx-cache';
export const EMBEDDING_INPUT = 'input';
export const EMBEDDING_OUTPUT = 'embedding';

export function baseGraphPath(baseId: string, root = pretrainedDir()): string {
  const info = getBaseInfo(baseId);
  return path.join(root, BASE_GRAPH_CACHE_DIR, `${info.dirName}-${info.weightChecksum.slice(0, 16)}-exporter${ONNX_EXPORTER_VERSION}.onnx`);
}

/** Builds the tfjs embedding model: the base followed by global average pooling. */
export async function loadEmbeddingModel(baseId: string, root = pretrainedDir()): Promise<tf.LayersModel> {
  await initBackend();
  const base = await loadBase(baseId, root);
  const model = tf.sequential({ name: `${getBaseInfo(baseId).dirName}_embedding` });
  model.add(base);
  model.add(tf.layers.globalAveragePooling2d({}));
  return model;
}

export interface BaseGraph {
  bytes: Uint8Array;
  /** Cache file the bytes came from or went to, or undefined when the cache could not be written. */
  file?: string;
  fromCache: boolean;
}

/**
 * Returns the embedding graph of a base from the cache, exporting and caching it on a miss. The
 * installed base is checksum-verified first, so a damaged base is an error even with a cached graph.
 * A cache that cannot be written (read-only install) only costs the export on every start.
 */
export async function loadBaseGraph(baseId: string, root = pretrainedDir()): Promise<BaseGraph> {
  await readVerifiedBase(baseId, root);
  const file = baseGraphPath(baseId, root);
  try {
    return { bytes: new Uint8Array(await readFile(file)), file, fromCache: true };
  } catch {
    logger.info(`exporting the ${baseId} base to ONNX (cache ${file})`);
  }
  return exportBaseGraph(baseId, root);
}

/** Exports the embedding graph and writes it to the cache, replacing any file there. */
export async function exportBaseGraph(baseId: string, root = pretrainedDir()): Promise<BaseGraph> {
  const file = baseGraphPath(baseId, root);
  const model = await loadEmbeddingModel(baseId, root);
  const options = { inputNames: [EMBEDDING_INPUT], outputNames: [EMBEDDING_OUTPUT], docString: `${getBaseInfo(baseId).description}, global average pooling` };
  try {
    await writeOnnxFile(model, file, options);
    return { bytes: new Uint8Array(await readFile(file)), file, fromCache: false };
  } catch (error) {
    logger.warn(`could not cache the ONNX graph of ${baseId} at ${file}: ${(error as Error).message}`);
    return { bytes: exportOnnx(model, options), fromCache: false };
  }
}

/** Deletes a cached graph, e.g. one onnxruntime rejected. */
export async function removeBaseGraph(baseId: string, root = pretrainedDir()): Promise<void> {
  await rm(baseGraphPath(baseId, root), { force: true });
}
