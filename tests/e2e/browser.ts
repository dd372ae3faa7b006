// Debian Chromium driven by playwright-core, with a fake webcam that plays a Y4M file.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.EDGE_TRAINER_CHROMIUM ?? '/usr/bin/chromium';

export interface BrowserSession {
  context: BrowserContext;
  close: () => Promise<void>;
}

/** Launches Chromium on a fresh temporary profile whose webcam shows `videoFile`. */
export async function launchWithCamera(videoFile: string, locale = 'en-US'): Promise<BrowserSession> {
  const profile = await mkdtemp(path.join(tmpdir(), 'edge-trainer-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    locale,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${videoFile}`,
    ],
  });
  // Other test suites may share the CPU, so waits get room beyond playwright's 30 s default.
  context.setDefaultTimeout(90_000);
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
