// Chooses the TensorFlow.js backend: tfjs-node when its native library loads, else WebAssembly,
// else the plain JavaScript cpu backend. EDGE_TRAINER_BACKEND or --backend forces one.
// Separately, the frozen base runs on onnxruntime-node when it loads, unless a tfjs backend is
// named, and 'onnx' requires it. scripts/bench-inference.ts measures onnx against wasm.

import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { EdgeTrainerError } from './errors.js';
import { isOnnxRuntimeAvailable } from './inference/onnxruntime.js';
import { logger } from './log.js';

export const BACKEND_NAMES = ['auto', 'onnx', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendRequest = (typeof BACKEND_NAMES)[number];
export type BackendName = Exclude<BackendRequest, 'auto'>;
/** tfjs backends, which train the heads and run every model except the frozen base on onnx. */
export type TfjsBackendName = Exclude<BackendName, 'onnx'>;
/** Runtime of the frozen base: onnxruntime-node, or the active tfjs backend. */
export type BaseRuntime = 'onnx' | 'tfjs';

const require = createRequire(import.meta.url);
let active: TfjsBackendName | undefined;
let baseRuntime: BaseRuntime | undefined;

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

const LOADERS: Readonly<Record<TfjsBackendName, () => Promise<boolean>>> = Object.freeze({
  'tfjs-node': tryTfjsNode,
  wasm: tryWasm,
  cpu: tryCpu,
});

const AUTO_ORDER: readonly TfjsBackendName[] = ['tfjs-node', 'wasm', 'cpu'];

/**
 * Activates the backends and returns the name of the one that runs the base: 'onnx', or the tfjs
 * backend. `auto` (the default, or EDGE_TRAINER_BACKEND) runs the base on onnx when onnxruntime-node
 * loads and takes the first of tfjs-node, wasm, cpu that loads for tfjs. 'onnx' is `auto` that
 * fails without onnxruntime-node. A named tfjs backend runs everything, the base included.
 * A named backend that fails to load is an error; `auto` after a named request keeps that choice.
 */
export async function initBackend(request?: string): Promise<BackendName> {
  const requested = request ?? process.env.EDGE_TRAINER_BACKEND ?? 'auto';
  if (!isBackendRequest(requested)) {
    throw new EdgeTrainerError('invalid_argument', `Unknown backend "${requested}".`, {
      hint: `Use one of: ${BACKEND_NAMES.join(', ')}.`,
    });
  }
  const tfjsRequested = requested === 'auto' || requested === 'onnx' ? 'auto' : requested;
  const tfjsName = await initTfjsBackend(tfjsRequested);

  if (requested === 'onnx' && !(await isOnnxRuntimeAvailable())) {
    throw new EdgeTrainerError('backend_unavailable', 'The onnx backend could not be loaded: onnxruntime-node did not load.', {
      hint: 'Run with --backend auto to use TensorFlow.js instead; reinstalling the app restores onnxruntime-node.',
    });
  }
  const previous = baseRuntime;
  if (requested !== 'auto') baseRuntime = requested === 'onnx' ? 'onnx' : 'tfjs';
  else baseRuntime ??= (await isOnnxRuntimeAvailable()) ? 'onnx' : 'tfjs';
  if (baseRuntime !== previous) logger.info(`base runs on ${baseRuntime === 'onnx' ? 'onnx' : tfjsName}, training on ${tfjsName}`);
  return baseRuntime === 'onnx' ? 'onnx' : tfjsName;
}

async function initTfjsBackend(requested: TfjsBackendName | 'auto'): Promise<TfjsBackendName> {
  if (active !== undefined && (requested === 'auto' || requested === active)) return active;

  // PROD mode keeps tfjs from printing its "install the node backend" banner on the cpu backend.
  tf.env().set('PROD', true);
  const order = requested === 'auto' ? AUTO_ORDER : [requested];
  for (const name of order) {
    if (await LOADERS[name]()) {
      await tf.ready();
      active = name;
      logger.info(`backend: ${name}`);
      return name;
    }
  }
  throw new EdgeTrainerError('backend_unavailable', `The ${requested} backend could not be loaded.`, {
    hint: 'Run with --backend auto to fall back to wasm or cpu.',
  });
}

/** Runtime of the frozen base chosen by initBackend, or undefined before it. */
export function activeBaseRuntime(): BaseRuntime | undefined {
  return baseRuntime;
}

/** Name of the active tfjs backend, or undefined before initBackend. */
export function activeBackend(): TfjsBackendName | undefined {
  return active;
}

/** Returns true when the active backend can compute gradients through the convolutional base. */
export function supportsConvolutionGradients(): boolean {
  // NOTE: tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter or DepthwiseConv2dNative backprop
  // kernels, so fine-tuning the base needs tfjs-node or cpu.
  return active !== 'wasm';
}
