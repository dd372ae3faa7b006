// Evaluation of a classifier's predictions: loss, accuracy overall and per class, the confusion
// matrix, and the misclassified samples.

export interface ClassMetrics {
  label: string;
  /** Samples of this class. */
  count: number;
  correct: number;
  /** correct / count, or null for a class without samples. */
  accuracy: number | null;
}

export interface Misclassification {
  /** File (or other label) of the sample. */
  source: string;
  label: string;
  predicted: string;
  /** Probability the model gave to the predicted class, 0..1. */
  confidence: number;
}

export interface EvaluationReport {
  labels: string[];
  count: number;
  /** Mean cross-entropy, natural log. */
  loss: number;
  /** Fraction of samples predicted correctly, 0..1. */
  accuracy: number;
  perClass: ClassMetrics[];
  /** confusion[trueIndex][predictedIndex] = number of samples. */
  confusion: number[][];
  misclassified: Misclassification[];
}

/** Smallest probability fed to log(), as in training. */
const PROBABILITY_EPSILON = 1e-7;

/**
 * Evaluates class probabilities (count x labels.length, row-major) against the true class
 * indices. `sources` names each sample in the list of misclassifications.
 */
export function evaluatePredictions(
  probabilities: Float32Array,
  trueLabels: ArrayLike<number>,
  labels: readonly string[],
  sources: readonly string[],
): EvaluationReport {
  const classCount = labels.length;
  const count = trueLabels.length;
  if (probabilities.length !== count * classCount) {
    throw new Error(`evaluatePredictions: expected ${count} x ${classCount} probabilities, got ${probabilities.length}`);
  }
  const confusion = labels.map(() => new Array<number>(classCount).fill(0));
  const misclassified: Misclassification[] = [];
  let lossSum = 0;
  let correct = 0;

  for (let row = 0; row < count; row++) {
    const offset = row * classCount;
    let predicted = 0;
    for (let column = 1; column < classCount; column++) {
      if (probabilities[offset + column] > probabilities[offset + predicted]) predicted = column;
    }
    const truth = trueLabels[row];
    const probability = Math.min(1 - PROBABILITY_EPSILON, Math.max(PROBABILITY_EPSILON, probabilities[offset + truth]));
    lossSum -= Math.log(probability);
    confusion[truth][predicted]++;
    if (predicted === truth) {
      correct++;
    } else {
      misclassified.push({ source: sources[row], label: labels[truth], predicted: labels[predicted], confidence: probabilities[offset + predicted] });
    }
  }

  const perClass = labels.map((label, index) => {
    const classTotal = confusion[index].reduce((sum, value) => sum + value, 0);
    const classCorrect = confusion[index][index];
    return { label, count: classTotal, correct: classCorrect, accuracy: classTotal === 0 ? null : classCorrect / classTotal };
  });
  return {
    labels: [...labels],
    count,
    loss: count === 0 ? 0 : lossSum / count,
    accuracy: count === 0 ? 0 : correct / count,
    perClass,
    confusion,
    misclassified,
  };
}
