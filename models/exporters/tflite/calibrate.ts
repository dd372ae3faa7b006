// Calibration: runs the float32 graph in the real TFLite interpreter on representative inputs and
// records the range of every activation tensor, as min/max or as a two-sided percentile.

import { EdgeTrainerError } from '../../errors.js';
import { TfliteInterpreter } from '../../tflite/interpreter.js';
import { cloneGraph, elementCount, type Graph } from './graph.js';
import { writeTflite } from './writer.js';

export interface TensorRange {
  min: number;
  max: number;
}

/**
 * Tracks the min and max of a stream of values, or, with `percentile` below 100, the values at
 * that percentile from the top and at (100 - percentile) from the bottom. The percentile is exact:
 * it keeps the k most extreme values on each side, with k fixed by the expected total count.
 */
export class RangeObserver {
  readonly #keep: number;
  #top: number[] = [];
  #bottom: number[] = [];
  #topCutoff = -Infinity;
  #bottomCutoff = Infinity;
  #min = Infinity;
  #max = -Infinity;

  constructor(expectedCount: number, percentile = 100) {
    if (!(percentile > 50 && percentile <= 100)) throw new Error(`RangeObserver: expected a percentile in (50, 100], got ${percentile}`);
    this.#keep = percentile === 100 ? 0 : Math.max(1, Math.floor(expectedCount * (1 - percentile / 100)));
  }

  observe(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value < this.#min) this.#min = value;
      if (value > this.#max) this.#max = value;
      if (this.#keep === 0) continue;
      if (value > this.#topCutoff) this.#top.push(value);
      if (value < this.#bottomCutoff) this.#bottom.push(value);
    }
    if (this.#keep > 0) this.#trim();
  }

  #trim(): void {
    this.#top.sort((a, b) => b - a).length = Math.min(this.#top.length, this.#keep);
    this.#bottom.sort((a, b) => a - b).length = Math.min(this.#bottom.length, this.#keep);
    if (this.#top.length === this.#keep) this.#topCutoff = this.#top[this.#keep - 1];
    if (this.#bottom.length === this.#keep) this.#bottomCutoff = this.#bottom[this.#keep - 1];
  }

  range(): TensorRange {
    if (this.#min > this.#max) return { min: 0, max: 0 };
    if (this.#keep === 0) return { min: this.#min, max: this.#max };
    return { min: this.#bottom[this.#bottom.length - 1], max: this.#top[this.#top.length - 1] };
  }
}

export interface CalibrationOptions {
  /** 100 for plain min/max; for example 99.99 to clip outliers. */
  percentile?: number;
  /** Called after each sample with the count done, for progress bars. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Returns the observed range of every non-constant tensor of `graph` (the input and all
 * activations), keyed by tensor index. Each sample is one input in the graph's input layout.
 */
export async function calibrateRanges(graph: Graph, samples: Float32Array[], options: CalibrationOptions = {}): Promise<Map<number, TensorRange>> {
  const inputTensor = graph.tensors[graph.inputs[0]];
  const inputSize = elementCount(inputTensor.shape);
  if (samples.length === 0) {
    throw new EdgeTrainerError('invalid_argument', 'Calibration needs at least one sample, got none.', {
      hint: 'Give representative images of every class (--calibration DIR with one folder per class).',
    });
  }
  samples.forEach((sample, i) => {
    if (sample.length !== inputSize) {
      throw new EdgeTrainerError('invalid_argument', `Calibration sample ${i} has ${sample.length} values, but the model input [${inputTensor.shape}] needs ${inputSize}.`);
    }
  });

  const activations = graph.tensors.map((tensor, index) => (tensor.data === null && !graph.inputs.includes(index) ? index : -1)).filter((index) => index >= 0);
  const percentile = options.percentile ?? 100;
  const observers = new Map<number, RangeObserver>();
  for (const index of [...graph.inputs, ...activations]) {
    observers.set(index, new RangeObserver(elementCount(graph.tensors[index].shape) * samples.length, percentile));
  }
  samples.forEach((sample) => observers.get(graph.inputs[0])!.observe(sample));
  await observeTensors(graph, activations, samples, (tensor, values) => observers.get(tensor)!.observe(values), options.onProgress);
  const ranges = new Map<number, TensorRange>();
  for (const [index, observer] of observers) ranges.set(index, observer.range());
  return ranges;
}

/**
 * Runs the float graph on each sample in the real TFLite interpreter and passes the values of
 * every activation in `tensors` to `visit`. The graph is written once with those tensors as extra
 * outputs, so one interpreter call per sample returns them all.
 */
export async function observeTensors(
  graph: Graph,
  tensors: number[],
  samples: Float32Array[],
  visit: (tensor: number, values: ArrayLike<number>) => void,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const probe = cloneGraph(graph);
  probe.outputs = tensors;
  const interpreter = await TfliteInterpreter.create(writeTflite(probe), 'calibration graph');
  try {
    samples.forEach((sample, sampleIndex) => {
      const outputs = interpreter.run([sample]);
      tensors.forEach((tensor, i) => visit(tensor, outputs[i] as ArrayLike<number>));
      onProgress?.(sampleIndex + 1, samples.length);
    });
  } finally {
    interpreter.dispose();
  }
}
