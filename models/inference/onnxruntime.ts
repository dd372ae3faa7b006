// onnxruntime-node sessions with the settings every Edge Trainer session uses: all cores for one
// operator, one operator at a time, and every graph optimization (operator fusion and the NCHWc
// layout of onnxruntime's CPU kernels). The package loads lazily so that a missing or broken
// native binary only disables this path.

import os from 'node:os';
import type * as ort from 'onnxruntime-node';
import { EdgeTrainerError } from '../errors.js';
import { logger } from '../log.js';

export type OnnxRuntime = typeof ort;

let pending: Promise<OnnxRuntime> | undefined;

/** Imports onnxruntime-node once; throws EdgeTrainerError 'backend_unavailable' when its native binding does not load. */
export function loadOnnxRuntime(): Promise<OnnxRuntime> {
  pending ??= import('onnxruntime-node').then(
    (module) => {
      logger.debug(`onnxruntime-node ${module.env.versions.node ?? 'unknown version'} loaded`);
      return module;
    },
    (error: unknown) => {
      pending = undefined;
      throw new EdgeTrainerError('backend_unavailable', `onnxruntime-node could not be loaded: ${(error as Error).message}`, {
        hint: 'Reinstall the app, or run with --backend wasm to use TensorFlow.js instead.',
        cause: error,
      });
    },
  );
  return pending;
}

/** Returns whether onnxruntime-node loads on this machine. */
export async function isOnnxRuntimeAvailable(): Promise<boolean> {
  try {
    await loadOnnxRuntime();
    return true;
  } catch {
    return false;
  }
}

export function sessionOptions(threads = os.availableParallelism()): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Idle pool threads sleep instead of spinning. With spinning, two threads on a 2-core machine
    // that other processes also used ran MobileNetV2 at 4.6 ms/image against 2.3 ms without it
    // (onnxruntime-node 1.31.1, scripts/bench-inference.ts), because a spinning thread takes
    // the core its partner needs.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
}

/**
 * Creates an inference session from an encoded ONNX model. `source` names the model in errors.
 * Throws EdgeTrainerError 'corrupt_model' when onnxruntime rejects the bytes.
 */
export async function createSession(bytes: Uint8Array, source: string, threads?: number): Promise<ort.InferenceSession> {
  const runtime = await loadOnnxRuntime();
  try {
    return await runtime.InferenceSession.create(bytes, sessionOptions(threads));
  } catch (error) {
    throw new EdgeTrainerError('corrupt_model', `onnxruntime could not load the ONNX model ${source}: ${(error as Error).message}`, {
      path: source,
      hint: 'Export the model again; delete the file first if it came from a cache.',
      cause: error,
    });
  }
}
