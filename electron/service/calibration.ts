// Representative inputs for int8 calibration, drawn from every class of the project. Teachable
// Machine's own tiny exporter calibrates on its last class only, which leaves the other classes'
// activations outside the quantization ranges.

import type { InputSpec } from '../../models/images/preprocess.js';
import { loadImageInput } from '../../models/images/preprocess.js';
import { logger } from '../../models/log.js';
import { samplePath, type Project } from '../../models/project/index.js';

/** Samples per class fed to calibration; more adds time, not range. */
export const CALIBRATION_SAMPLES_PER_CLASS = 16;

/** Picks `count` items spread evenly over `items`, so a long capture session is sampled throughout. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, index) => items[Math.floor((index * items.length) / count)]);
}

/** Loads up to CALIBRATION_SAMPLES_PER_CLASS preprocessed samples of each class, interleaved by class. */
export async function projectCalibrationInputs(project: Project, spec: InputSpec, onProgress: (done: number, total: number) => void, signal: AbortSignal): Promise<Float32Array[]> {
  const perClass = project.classes.map((item) => spread(project.samples.filter((sample) => sample.classId === item.id), CALIBRATION_SAMPLES_PER_CLASS));
  const longest = Math.max(0, ...perClass.map((list) => list.length));
  const ordered = Array.from({ length: longest }, (_, index) => perClass.map((list) => list[index]).filter((sample) => sample !== undefined)).flat();
  const inputs: Float32Array[] = [];
  for (const [index, sample] of ordered.entries()) {
    signal.throwIfAborted();
    try {
      inputs.push(await loadImageInput(samplePath(project, sample), spec));
    } catch (error) {
      logger.warn(`calibration skipped ${sample.file}: ${(error as Error).message}`);
    }
    onProgress(index + 1, ordered.length);
  }
  return inputs;
}
