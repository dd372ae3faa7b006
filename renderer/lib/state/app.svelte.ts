// The renderer's root state: the API, the screen shown and the per-area states, created once in
// App.svelte and handed to screens as props.

import type { AppInfo } from '../../../electron/api/types.js';
import type { EdgeTrainerApi } from '../api/client.js';
import { CameraState } from './camera.svelte.js';
import { ErrorState } from './errors.svelte.js';
import { ProjectState } from './project.svelte.js';
import { TrainingState } from './training.svelte.js';

export const SCREENS = ['home', 'classes', 'train', 'preview', 'export'] as const;
export type Screen = (typeof SCREENS)[number];

export class AppState {
  readonly api: EdgeTrainerApi;
  readonly errors = new ErrorState();
  readonly project: ProjectState;
  readonly training: TrainingState;
  readonly camera = new CameraState();

  screen = $state<Screen>('home');
  info = $state.raw<AppInfo | undefined>(undefined);
  /** Webcam recording in progress somewhere (counts as unsaved work). */
  recording = $state(false);

  /** Work that closing the window would lose: a recording, a training run, edited settings, edits in flight. */
  get unsavedWork(): boolean {
    return this.recording || this.training.running || this.training.settingsChanged || this.project.pending > 0;
  }

  constructor(api: EdgeTrainerApi) {
    this.api = api;
    this.project = new ProjectState(api, this.errors);
    this.training = new TrainingState(api, this.project, this.errors);
  }

  async init(): Promise<void> {
    try {
      this.info = await this.api.appInfo();
    } catch (error) {
      this.errors.report(error);
      return;
    }
    await this.project.loadRecent();
    if (this.info.startProjectDir !== undefined && (await this.project.open(this.info.startProjectDir))) this.afterProjectLoaded();
  }

  /** Shows a screen; the camera stops when leaving the screens that use it. */
  go(screen: Screen): void {
    if (screen !== 'classes' && screen !== 'preview') this.camera.stop();
    this.screen = screen;
  }

  async openProject(dir: string): Promise<void> {
    if (await this.project.open(dir)) this.afterProjectLoaded();
  }

  /** Stores the training form's settings in the project (they are also stored when training starts). */
  async saveSettings(): Promise<void> {
    if (this.project.project !== undefined && this.training.settingsChanged) await this.project.updateSettings($state.snapshot(this.training.settings));
  }

  afterProjectLoaded(): void {
    void this.training.loadFromProject();
    void this.project.loadRecent();
    this.go('classes');
  }
}
