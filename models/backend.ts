// Chooses the TensorFlow.js backend: tfjs-node when its native library loads, else WebAssembly,
// else the plain JavaScript cpu backend. EDGE_TRAINER_BACKEND or --backend forces one.

import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { EdgeTrainerError } from './errors.js';
import { logger } from './log.js';

export const BACKEND_NAMES = ['auto', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendRequest = (typeof BACKEND_NAMES)[number];
export type BackendName = Exclude<BackendRequest, 'auto'>;

const require = createRequire(import.meta.url);
let active: BackendName | undefined;

export function isBackendRequest(value: string): value is BackendRequest {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}

async function tryTfjsNode(): Promise<boolean> {
  try {
    // The optional dependency registers the 'tensorflow' backend on import.
    await import('@tensorflow/tfjs-node' as string);
    return await tf.setBackend('tensorflow');
  } catch (error) {
    logger.debug(`tfjs-node did not load: ${(error as Error).message}`);
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(wasmDir + path.sep);
    return await tf.setBackend('wasm');
  } catch (error) {
    logger.debug(`wasm backend did not load: ${(error as Error).message}`);
    return false;
  }
}

async function tryCpu(): Promise<boolean> {
  return tf.setBackend('cpu');
}

const LOADERS: Readonly<Record<BackendName, () => Promise<boolean>>> = Object.freeze({
  'tfjs-node': tryTfjsNode,
  wasm: tryWasm,
  cpu: tryCpu,
});

const AUTO_ORDER: readonly BackendName[] = ['tfjs-node', 'wasm', 'cpu'];

/**
 * Activates a backend and returns its name. `auto` (the default, or EDGE_TRAINER_BACKEND) takes
 * the first of tfjs-node, wasm, cpu that loads; a named backend that fails to load is an error.
 */
export async function initBackend(request?: string): Promise<BackendName> {
  const wanted = request ?? process.env.EDGE_TRAINER_BACKEND ?? 'auto';
  if (!isBackendRequest(wanted)) {
    throw new EdgeTrainerError('invalid_argument', `Unknown backend "${wanted}".`, {
      hint: `Use one of: ${BACKEND_NAMES.join(', ')}.`,
    });
  }
  if (active !== undefined && (wanted === 'auto' || wanted === active)) return active;

  // PROD mode keeps tfjs from printing its "install the node backend" banner on the cpu backend.
  tf.env().set('PROD', true);
  const order = wanted === 'auto' ? AUTO_ORDER : [wanted];
  for (const name of order) {
    if (await LOADERS[name]()) {
      await tf.ready();
      active = name;
      logger.info(`backend: ${name}`);
      return name;
    }
  }
  throw new EdgeTrainerError('backend_unavailable', `The ${wanted} backend could not be loaded.`, {
    hint: 'Run with --backend auto to fall back to wasm or cpu.',
  });
}

/** Name of the active backend, or undefined before initBackend. */
export function activeBackend(): BackendName | undefined {
  return active;
}

/** Whether the active backend can compute gradients through the convolutional base. */
export function supportsConvolutionGradients(): boolean {
  // NOTE: tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter or DepthwiseConv2dNative backprop
  // kernels, so fine-tuning the base needs tfjs-node or cpu.
  return active !== 'wasm';
}
