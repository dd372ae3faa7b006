// Accuracy, per-class precision and recall, and the confusion matrix of a labelled test set.

export interface ClassMetrics {
  /** Test images whose true class is this one. */
  count: number;
  /** Of those, how many were predicted as this class. */
  correct: number;
  /** correct / count (also called recall); null when count is 0. */
  recall: number | null;
  /** Share of the images predicted as this class that truly are; null when none was predicted. */
  precision: number | null;
}

export interface ClassificationMetrics {
  /** Share of correct predictions, 0..1. */
  accuracy: number;
  count: number;
  perClass: Record<string, ClassMetrics>;
  /** confusion.matrix[trueIndex][predictedIndex] counts images, in the order of confusion.labels. */
  confusion: { labels: string[]; matrix: number[][] };
}

export interface LabelledPrediction {
  trueIndex: number;
  predictedIndex: number;
}

export function computeClassificationMetrics(labels: readonly string[], results: readonly LabelledPrediction[]): ClassificationMetrics {
  const matrix = labels.map(() => labels.map(() => 0));
  for (const { trueIndex, predictedIndex } of results) matrix[trueIndex][predictedIndex] += 1;

  let correctTotal = 0;
  const perClass: Record<string, ClassMetrics> = {};
  labels.forEach((label, index) => {
    const count = matrix[index].reduce((sum, value) => sum + value, 0);
    const predicted = matrix.reduce((sum, row) => sum + row[index], 0);
    const correct = matrix[index][index];
    correctTotal += correct;
    perClass[label] = {
      count,
      correct,
      recall: count === 0 ? null : correct / count,
      precision: predicted === 0 ? null : correct / predicted,
    };
  });

  return {
    accuracy: results.length === 0 ? 0 : correctTotal / results.length,
    count: results.length,
    perClass,
    confusion: { labels: [...labels], matrix },
  };
}
