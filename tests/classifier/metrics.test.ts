import { describe, expect, it } from 'vitest';
import { computeClassificationMetrics } from '../../models/classifier/metrics.js';

describe('computeClassificationMetrics', () => {
  // Handmade case: a is right twice and once mistaken for b; b is right once; c has no images.
  const metrics = computeClassificationMetrics(['a', 'b', 'c'], [
    { trueIndex: 0, predictedIndex: 0 },
    { trueIndex: 0, predictedIndex: 0 },
    { trueIndex: 0, predictedIndex: 1 },
    { trueIndex: 1, predictedIndex: 1 },
  ]);

  it('accuracy over all images', () => {
    expect(metrics.accuracy).toBe(0.75);
  });

  it('confusion rows are true classes', () => {
    expect(metrics.confusion.matrix).toEqual([
      [2, 1, 0],
      [0, 1, 0],
      [0, 0, 0],
    ]);
  });

  it('recall and precision per class', () => {
    expect(metrics.perClass.a).toEqual({ count: 3, correct: 2, recall: 2 / 3, precision: 1 });
    expect(metrics.perClass.b).toEqual({ count: 1, correct: 1, recall: 1, precision: 0.5 });
  });

  it('class without images has null rates', () => {
    expect(metrics.perClass.c).toEqual({ count: 0, correct: 0, recall: null, precision: null });
  });
});
