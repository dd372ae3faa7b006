// Builds the renderer's view of an open project from the engine's Project.

import path from 'node:path';
import type { EvaluationReport } from '../../models/evaluation/metrics.js';
import { isModelStale, samplePath, type Project } from '../../models/project/index.js';
import type { EvaluationView, ProjectView, SkippedView } from '../api/types.js';
import { toTrainSettings } from './settings-map.js';

/** Copies the renderer's fields of a skipped file, leaving out the engine's error object. */
export function toSkippedView({ source, reason, key, params }: SkippedView): SkippedView {
  const view: SkippedView = { source, reason };
  if (key !== undefined) view.key = key;
  if (params !== undefined) view.params = { ...params };
  return view;
}

export function toProjectView(project: Project, skipped?: readonly SkippedView[]): ProjectView {
  const counts = new Map<string, number>();
  for (const sample of project.samples) counts.set(sample.classId, (counts.get(sample.classId) ?? 0) + 1);
  const view: ProjectView = {
    dir: project.dir,
    name: project.name,
    kind: project.kind,
    baseId: project.settings.base,
    classes: project.classes.map((item) => ({ id: item.id, name: item.name, sampleCount: counts.get(item.id) ?? 0 })),
    samples: project.samples.map((sample) => ({
      id: sample.id,
      classId: sample.classId,
      file: sample.file,
      session: sample.session,
      addedAt: sample.addedAt,
    })),
    models: project.models.map((entry) => ({
      version: entry.version,
      dir: entry.dir,
      createdAt: entry.createdAt,
      stale: isModelStale(project, entry.version),
      valAccuracy: typeof entry.metrics.valAccuracy === 'number' ? entry.metrics.valAccuracy : undefined,
    })),
    settings: toTrainSettings(project.settings.training),
  };
  if (skipped !== undefined && skipped.length > 0) view.skipped = skipped.map(toSkippedView);
  return view;
}

/** Maps the engine's evaluation to the view, with misclassified files made project-relative. */
export function toEvaluationView(project: Project, labels: readonly string[], report: EvaluationReport | null): EvaluationView {
  if (report === null) {
    return { labels: [...labels], perClassAccuracy: labels.map(() => null), confusion: labels.map(() => labels.map(() => 0)), misclassified: [] };
  }
  const byPath = new Map(project.samples.map((sample) => [path.resolve(samplePath(project, sample)), sample]));
  return {
    labels: report.labels,
    accuracy: report.accuracy,
    perClassAccuracy: report.perClass.map((item) => item.accuracy),
    confusion: report.confusion,
    misclassified: report.misclassified.map((item) => {
      const sample = byPath.get(path.resolve(item.source));
      return {
        sampleId: sample?.id,
        file: sample?.file ?? path.relative(project.dir, item.source).split(path.sep).join('/'),
        expected: item.label,
        predicted: item.predicted,
      };
    }),
  };
}
