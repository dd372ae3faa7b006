// Serialises changes to one project within this process. The app may add webcam frames while an
// earlier batch is still being written; without the queue both would pick the same next sample id.

import type { Project } from './schema.js';

const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `task` after every earlier task queued for the same project folder has settled, and
 * returns its result. A failed task does not block the ones after it.
 */
export function withProjectLock<T>(project: Project, task: () => Promise<T>): Promise<T> {
  // NOTE: in-process only; two processes editing one project folder are not serialised.
  const key = project.dir;
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return run;
}
