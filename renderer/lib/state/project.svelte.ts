// The open project in the renderer, and every edit of it. Each edit goes to the engine side, which
// writes project.json atomically and returns the new project, so closing the window loses no edit.
// Only work in progress (recording, training) counts as unsaved.

import type { EdgeTrainerApi } from '../api/client.js';
import type { FileUpload, ProjectView, SampleView, TrainSettings } from '../../../electron/api/types.js';
import type { ErrorState } from './errors.svelte.js';

export class ProjectState {
  readonly #api: EdgeTrainerApi;
  readonly #errors: ErrorState;

  project = $state.raw<ProjectView | undefined>(undefined);
  recent = $state.raw<string[]>([]);
  /** Number of edits in flight. */
  pending = $state(0);

  samplesByClass = $derived.by(() => {
    const groups = new Map<string, SampleView[]>();
    for (const item of this.project?.classes ?? []) groups.set(item.id, []);
    for (const sample of this.project?.samples ?? []) groups.get(sample.classId)?.push(sample);
    return groups;
  });

  latestModel = $derived(this.project?.models.at(-1));

  constructor(api: EdgeTrainerApi, errors: ErrorState) {
    this.#api = api;
    this.#errors = errors;
  }

  get api(): EdgeTrainerApi {
    return this.#api;
  }

  /** Runs one edit; a failure goes to the error banner and leaves the project as it was. */
  async #apply(edit: () => Promise<ProjectView>): Promise<boolean> {
    this.pending++;
    try {
      this.project = await edit();
      return true;
    } catch (error) {
      this.#errors.report(error);
      return false;
    } finally {
      this.pending--;
    }
  }

  async loadRecent(): Promise<void> {
    try {
      this.recent = await this.#api.recentProjects();
    } catch (error) {
      this.#errors.report(error);
    }
  }

  create = (dir: string, name: string, baseId?: string) => this.#apply(() => this.#api.createProject(dir, name, baseId));
  open = (dir: string) => this.#apply(() => this.#api.openProject(dir));
  importFolder = (sourceDir: string, dir: string, name: string) => this.#apply(() => this.#api.importFolder(sourceDir, dir, name));
  importTeachableMachine = (modelDir: string, dir: string, name: string) =>
    this.#apply(() => this.#api.importTeachableMachine(modelDir, dir, name));
  addClass = (name: string) => this.#apply(() => this.#api.addClass(name));
  renameClass = (classId: string, name: string) => this.#apply(() => this.#api.renameClass(classId, name));
  deleteClass = (classId: string) => this.#apply(() => this.#api.deleteClass(classId));
  addSamples = (classId: string, files: FileUpload[], session?: string) => this.#apply(() => this.#api.addSamples(classId, files, session));
  addSamplePaths = (classId: string, paths: string[]) => this.#apply(() => this.#api.addSamplePaths(classId, paths));
  deleteSamples = (sampleIds: string[]) => this.#apply(() => this.#api.deleteSamples(sampleIds));
  updateSettings = (settings: TrainSettings) => this.#apply(() => this.#api.updateSettings(settings));

  /** Moves a class one place up (-1) or down (+1). */
  moveClass = (classId: string, offset: -1 | 1) => {
    const ids = (this.project?.classes ?? []).map((item) => item.id);
    const from = ids.indexOf(classId);
    const to = from + offset;
    if (from < 0 || to < 0 || to >= ids.length) return Promise.resolve(false);
    [ids[from], ids[to]] = [ids[to], ids[from]];
    return this.#apply(() => this.#api.reorderClasses(ids));
  };

  /** Replaces the project after work that returned it (training, import). */
  replace(project: ProjectView): void {
    this.project = project;
  }

  sampleUrl(sample: SampleView): string {
    return this.#api.projectFileUrl(sample.file);
  }
}
