// Window and content-security settings of the desktop app, kept free of `electron` imports so a
// test can assert them without launching Electron. They follow Electron's security checklist.

/** Scheme the renderer and project files are served from inside Electron (registered as privileged). */
export const APP_SCHEME = 'app';
/** Host of the renderer's own files: app://renderer/index.html. */
export const RENDERER_HOST = 'renderer';
/** Host of files inside the open project (sample images, exports): app://project/<relative path>. */
export const PROJECT_HOST = 'project';

export const RENDERER_ORIGIN = `${APP_SCHEME}://${RENDERER_HOST}`;
export const RENDERER_ENTRY_URL = `${RENDERER_ORIGIN}/index.html`;

/**
 * Content-Security-Policy for both builds: scripts only from the app itself (no inline script,
 * no eval), images from the app, blobs (webcam frames) and project files, media from the webcam
 * stream, network only back to the app. Inline styles stay allowed because Svelte sets style
 * attributes for element positions (virtualized grid, progress bars).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  `img-src 'self' blob: data: ${APP_SCHEME}://${PROJECT_HOST}`,
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Subset of Electron's BrowserWindowConstructorOptions that the app sets. */
export interface AppWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  backgroundColor: string;
  title: string;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    experimentalFeatures: false;
    navigateOnDragDrop: false;
    safeDialogs: true;
    spellcheck: false;
  };
}

export function createWindowOptions(preloadPath: string): AppWindowOptions {
  return {
    width: 1280,
    height: 860,
    minWidth: 860,
    minHeight: 600,
    // Shown on 'ready-to-show' so the window never flashes blank.
    show: false,
    backgroundColor: '#f7f7f5',
    title: 'Edge Trainer',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}
