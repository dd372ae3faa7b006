import { describe, expect, test, vi } from 'vitest';
import { createBridgeApi } from '../../electron/api/bridge.js';
import { DEFAULT_TRAIN_SETTINGS, type ProjectView, type TrainResultView } from '../../electron/api/types.js';
import type { Transport } from '../../electron/api/verbs.js';
import { audioConstraints, videoConstraints } from '../../renderer/lib/capture/constraints.js';
import { plannedFrameCount, startRecording } from '../../renderer/lib/capture/recorder.js';
import { matchLocale } from '../../renderer/lib/i18n/i18n.svelte.js';
import { computeGridWindow } from '../../renderer/lib/virtual-grid.js';
import { ErrorState } from '../../renderer/lib/state/errors.svelte.js';
import { ProjectState } from '../../renderer/lib/state/project.svelte.js';
import { estimateSecondsLeft, TrainingState } from '../../renderer/lib/state/training.svelte.js';

const PROJECT: ProjectView = {
  dir: '/p',
  name: 'P',
  kind: 'image',
  baseId: 'mobilenet-v2-224',
  classes: [{ id: 'c1', name: 'a', sampleCount: 0 }, { id: 'c2', name: 'b', sampleCount: 0 }],
  samples: [],
  models: [],
  settings: { ...DEFAULT_TRAIN_SETTINGS },
};

/** A transport that returns canned results per channel and records calls. The engine side has its own tests. */
function fakeTransport(answers: Record<string, (request: unknown, options?: { onProgress?: (p: never) => void }) => unknown>): Transport & { calls: string[]; cancelled: string[] } {
  const calls: string[] = [];
  const cancelled: string[] = [];
  return {
    calls,
    cancelled,
    call: (async (channel: string, request: unknown, options?: { onProgress?: (p: never) => void }) => {
      calls.push(channel);
      const answer = answers[channel];
      if (answer === undefined) throw Object.assign(new Error(`no answer for ${channel}`), { code: 'internal' });
      return answer(request, options);
    }) as Transport['call'],
    cancelJob: async (jobId) => void cancelled.push(jobId),
    projectFileUrl: (file) => `/files/${file}`,
  };
}

describe('TrainingState', () => {
  test('progress fills history by 1-based epoch', async () => {
    let finish: (value: TrainResultView) => void = () => undefined;
    const transport = fakeTransport({
      'train:start': (_request, options) => {
        options?.onProgress?.({ stage: 'training', done: 1, total: 2, epoch: 1, logs: { loss: 0.9, accuracy: 0.5 } } as never);
        options?.onProgress?.({ stage: 'training', done: 2, total: 2, epoch: 2, logs: { loss: 0.4, accuracy: 0.9 } } as never);
        return new Promise((resolve) => (finish = resolve));
      },
    });
    const api = createBridgeApi(transport, null);
    const errors = new ErrorState();
    const project = new ProjectState(api, errors);
    const training = new TrainingState(api, project, errors);
    const run = training.start();
    await vi.waitFor(() => expect(training.history.map((logs) => logs.loss)).toEqual([0.9, 0.4]));
    expect(training.running).toBe(true);
    finish({ version: 1, history: training.history, evaluation: { labels: [], perClassAccuracy: [], confusion: [], misclassified: [] }, project: PROJECT });
    await run;
    expect(training.running).toBe(false);
    expect(project.project?.name).toBe('P');
  });

  test('cancel sends the job id', async () => {
    const transport = fakeTransport({ 'train:start': () => new Promise(() => undefined) });
    const api = createBridgeApi(transport, null);
    const errors = new ErrorState();
    const training = new TrainingState(api, new ProjectState(api, errors), errors);
    void training.start();
    await training.cancel();
    expect(transport.cancelled).toHaveLength(1);
    expect(training.cancelling).toBe(true);
  });

  test('failure goes to the error banner', async () => {
    const transport = fakeTransport({ 'train:start': () => Promise.reject(Object.assign(new Error('Need at least 2 classes'), { code: 'invalid_argument' })) });
    const api = createBridgeApi(transport, null);
    const errors = new ErrorState();
    const training = new TrainingState(api, new ProjectState(api, errors), errors);
    await training.start();
    expect(errors.current?.code).toBe('invalid_argument');
    expect(training.running).toBe(false);
  });

  test('time left extrapolates the stage', () => expect(estimateSecondsLeft({ stage: 'embedding', done: 10, total: 40 }, 0, 5000)).toBe(15));
  test('time left unknown before progress', () => expect(estimateSecondsLeft({ stage: 'embedding', done: 0, total: 40 }, 0, 5000)).toBeUndefined());
});

describe('ProjectState', () => {
  test('moveClass sends the swapped order', async () => {
    let order: string[] = [];
    const transport = fakeTransport({
      'project:open': () => PROJECT,
      'class:reorder': (request) => {
        order = (request as { classIds: string[] }).classIds;
        return PROJECT;
      },
    });
    const project = new ProjectState(createBridgeApi(transport, null), new ErrorState());
    await project.open('/p');
    await project.moveClass('c2', -1);
    expect(order).toEqual(['c2', 'c1']);
  });

  test('moving the first class up sends nothing', async () => {
    const transport = fakeTransport({ 'project:open': () => PROJECT });
    const project = new ProjectState(createBridgeApi(transport, null), new ErrorState());
    await project.open('/p');
    expect(await project.moveClass('c1', -1)).toBe(false);
    expect(transport.calls).toEqual(['project:open']);
  });

  test('failed edit keeps the project', async () => {
    const transport = fakeTransport({ 'project:open': () => PROJECT, 'class:add': () => Promise.reject(Object.assign(new Error('taken'), { code: 'invalid_argument' })) });
    const errors = new ErrorState();
    const project = new ProjectState(createBridgeApi(transport, null), errors);
    await project.open('/p');
    expect(await project.addClass('a')).toBe(false);
    expect(project.project).toBe(PROJECT);
    expect(errors.current?.message).toBe('taken');
  });
});

describe('recorder', () => {
  test('timed recording frame count', () => expect(plannedFrameCount({ fps: 10, delaySeconds: 0, durationSeconds: 2 })).toBe(20));
  test('hold-to-record has no planned count', () => expect(plannedFrameCount({ fps: 10, delaySeconds: 0, durationSeconds: 0 })).toBeUndefined());

  test('timed recording takes exactly the planned frames', async () => {
    let frames = 0;
    const handle = startRecording({ fps: 100, delaySeconds: 0, durationSeconds: 0.1 }, { onFrame: async () => void frames++ });
    await handle.done;
    expect(frames).toBe(10);
  });

  test('hold-to-record stops on release', async () => {
    let frames = 0;
    const handle = startRecording({ fps: 100, delaySeconds: 0, durationSeconds: 0 }, { onFrame: async () => void frames++ });
    await new Promise((resolve) => setTimeout(resolve, 60));
    await handle.stop();
    const stoppedAt = frames;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(frames).toBe(stoppedAt);
    expect(stoppedAt).toBeGreaterThan(0);
  });
});

describe('virtual grid window', () => {
  // 190 px shows parts of 3 rows of 90 px pitch; 2 rows of overscan make 5 rows of 6.
  test('first screen', () => expect(computeGridWindow(1000, 84, 6, 600, 190, 0)).toMatchObject({ columns: 6, firstIndex: 0, endIndex: 30 }));
  test('scrolled keeps one row above', () => expect(computeGridWindow(1000, 84, 6, 600, 190, 900)).toMatchObject({ firstIndex: 54, offsetTop: 810 }));
  test('end clamped to count', () => expect(computeGridWindow(5, 84, 6, 600, 190, 0).endIndex).toBe(5));
});

describe('matchLocale', () => {
  test('zh-TW', () => expect(matchLocale('zh-TW')).toBe('zh-TW'));
  test('zh-Hant-HK', () => expect(matchLocale('zh-Hant-HK')).toBe('zh-TW'));
  test('zh-CN not matched', () => expect(matchLocale('zh-CN')).toBeUndefined());
  test('en-GB', () => expect(matchLocale('en-GB')).toBe('en'));
  test('fr not matched', () => expect(matchLocale('fr-FR')).toBeUndefined());
});

describe('capture constraints', () => {
  test('audio echo cancellation off', () => expect(audioConstraints(undefined).audio).toMatchObject({ echoCancellation: false }));
  test('audio noise suppression off', () => expect(audioConstraints(undefined).audio).toMatchObject({ noiseSuppression: false }));
  test('audio gain control off', () => expect(audioConstraints(undefined).audio).toMatchObject({ autoGainControl: false }));
  test('chosen camera required exactly', () => expect(videoConstraints('cam-2').video).toMatchObject({ deviceId: { exact: 'cam-2' } }));
});
