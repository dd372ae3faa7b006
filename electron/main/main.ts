// Electron main process: one window on the app:// scheme, native menus, permission and navigation
// policy, IPC to the engine utility process. Built by scripts in package.json (build:electron)
// into dist/electron/, which package.json "main" points at.

import { app, BrowserWindow, dialog, Menu, net, protocol, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MenuCommand } from '../api/bridge.js';
import { resolveInside } from '../server/static-files.js';
import { readRecent } from '../service/recent.js';
import { EngineClient } from './engine-client.js';
import { registerIpcHandlers } from './ipc.js';
import { buildMenuTemplate, menuLabels, type MenuLocale } from './menu.js';
import { isNavigationAllowed, isPermissionGranted } from './policy.js';
import { APP_SCHEME, CONTENT_SECURITY_POLICY, createWindowOptions, PROJECT_HOST, RENDERER_ENTRY_URL, RENDERER_HOST } from './window-options.js';

/** dist/electron/, which contains main.js, preload.cjs and engine.js. dist/renderer/ contains the renderer build. */
const bundleDir = path.dirname(fileURLToPath(import.meta.url));
const rendererRoot = path.resolve(bundleDir, '..', 'renderer');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

const windowIds = new Set<number>();
const unsavedWindows = new Set<number>();
// Set from the system once the app is ready (app.getLocale needs that on Windows), then by the renderer.
let locale: MenuLocale = 'en';
let mainWindow: BrowserWindow | undefined;

const engine = new EngineClient(path.join(bundleDir, 'engine.js'), {
  ...process.env,
  EDGE_TRAINER_APP_VERSION: app.getVersion(),
  EDGE_TRAINER_CONFIG_DIR: app.getPath('userData'),
  EDGE_TRAINER_WORKSPACE: path.join(app.getPath('documents'), 'EdgeTrainer'),
  // The engine is bundled into dist/electron/, so models/paths.ts cannot find the bases relative to
  // itself: packaged builds carry them as extraResources (electron-builder.yml), development uses the repository's.
  EDGE_TRAINER_MODELS: app.isPackaged ? path.join(process.resourcesPath, 'pretrained') : path.resolve(bundleDir, '..', '..', 'models', 'pretrained'),
});

function sendMenuCommand(command: MenuCommand, argument?: string): void {
  if (command === 'app:about') {
    void dialog.showMessageBox({ type: 'info', title: menuLabels(locale).about, message: `Edge Trainer ${app.getVersion()}`, detail: 'Apache-2.0' });
    return;
  }
  mainWindow?.webContents.send('menu:command', command, argument);
}

async function rebuildMenu(): Promise<void> {
  const recent = await readRecent(app.getPath('userData'));
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(locale, recent, sendMenuCommand, process.platform === 'darwin')));
}

async function serveAppScheme(request: Request): Promise<Response> {
  const url = new URL(request.url);
  let root: string | undefined;
  if (url.host === RENDERER_HOST) root = rendererRoot;
  else if (url.host === PROJECT_HOST) root = engine.projectDir;
  const file = root === undefined ? undefined : resolveInside(root, decodeURIComponent(url.pathname));
  if (file === undefined) return new Response('Not found', { status: 404 });
  const response = await net.fetch(pathToFileURL(file).toString());
  const headers = new Headers(response.headers);
  headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  headers.set('X-Content-Type-Options', 'nosniff');
  return new Response(response.body, { status: response.status, headers });
}

function createWindow(): void {
  const window = new BrowserWindow(createWindowOptions(path.join(bundleDir, 'preload.cjs')));
  windowIds.add(window.id);
  mainWindow = window;
  const id = window.id;

  window.once('ready-to-show', () => window.show());
  window.webContents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
  window.webContents.on('will-redirect', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  // No new windows; web links (only the about text has any) open in the system browser.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.on('close', (event) => {
    if (!unsavedWindows.has(id)) return;
    const text = locale === 'zh-TW'
      ? { buttons: ['取消', '仍要關閉'], message: '還有工作沒完成（錄製、訓練或尚未儲存的設定）。確定要關閉嗎？' }
      : { buttons: ['Cancel', 'Close anyway'], message: 'Work is still in progress (recording, training or unsaved settings). Close anyway?' };
    const choice = dialog.showMessageBoxSync(window, { type: 'warning', buttons: text.buttons, defaultId: 0, cancelId: 0, message: text.message });
    if (choice === 0) event.preventDefault();
  });
  window.on('closed', () => {
    windowIds.delete(id);
    unsavedWindows.delete(id);
    if (mainWindow?.id === id) mainWindow = undefined;
  });
  void window.loadURL(RENDERER_ENTRY_URL);
}

app.enableSandbox();

app.whenReady().then(async () => {
  locale = app.getLocale().toLowerCase().startsWith('zh') ? 'zh-TW' : 'en';
  protocol.handle(APP_SCHEME, serveAppScheme);
  session.defaultSession.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(isPermissionGranted(permission, webContents.getURL(), mediaTypes));
  });
  session.defaultSession.setPermissionCheckHandler((_webContents, permission, requestingOrigin) => isPermissionGranted(permission, `${requestingOrigin}/`));
  // Nothing outside the app is ever loaded: every http(s) request from the renderer is cancelled.
  session.defaultSession.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (_details, callback) => callback({ cancel: true }));

  registerIpcHandlers({
    engine,
    windowIds: () => windowIds,
    onUnsavedChanges: (windowId, unsaved) => (unsaved ? unsavedWindows.add(windowId) : unsavedWindows.delete(windowId)),
    onLocale: (next) => {
      locale = next;
      void rebuildMenu();
    },
  });
  await rebuildMenu();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}).catch(async (error: unknown) => {
  dialog.showErrorBox('Edge Trainer', `Start-up failed: ${(error as Error).message}`);
  app.exit(1);
});

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('window-all-closed', () => {
  engine.stop();
  if (process.platform !== 'darwin') app.quit();
});
