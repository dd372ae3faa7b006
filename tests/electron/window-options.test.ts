import { describe, expect, test } from 'vitest';
import { isNavigationAllowed, isPermissionGranted, isTrustedSender } from '../../electron/main/policy.js';
import { CONTENT_SECURITY_POLICY, createWindowOptions, RENDERER_ENTRY_URL } from '../../electron/main/window-options.js';
import { buildMenuTemplate, menuLabels } from '../../electron/main/menu.js';

describe('BrowserWindow options', () => {
  const options = createWindowOptions('/app/preload.cjs');
  const web = options.webPreferences;

  test('context isolation on', () => expect(web.contextIsolation).toBe(true));
  test('sandbox on', () => expect(web.sandbox).toBe(true));
  test('node integration off', () => expect(web.nodeIntegration).toBe(false));
  test('node integration in workers off', () => expect(web.nodeIntegrationInWorker).toBe(false));
  test('node integration in subframes off', () => expect(web.nodeIntegrationInSubFrames).toBe(false));
  test('web security on', () => expect(web.webSecurity).toBe(true));
  test('insecure content off', () => expect(web.allowRunningInsecureContent).toBe(false));
  test('webview tag off', () => expect(web.webviewTag).toBe(false));
  test('preload path passed through', () => expect(web.preload).toBe('/app/preload.cjs'));
});

describe('content security policy', () => {
  const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map((item) => {
    const [name, ...values] = item.split(' ');
    return [name, values] as const;
  }));

  test('default-src none', () => expect(directives.get('default-src')).toEqual(["'none'"]));
  test('scripts only from self', () => expect(directives.get('script-src')).toEqual(["'self'"]));
  test('no eval or inline script', () => expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/));
  test('network only to self', () => expect(directives.get('connect-src')).toEqual(["'self'"]));
  test('no plugins', () => expect(directives.get('object-src')).toEqual(["'none'"]));
  test('no remote hosts anywhere', () => expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*/));
});

describe('navigation policy', () => {
  test('app renderer allowed', () => expect(isNavigationAllowed(RENDERER_ENTRY_URL)).toBe(true));
  test('remote site rejected', () => expect(isNavigationAllowed('https://example.com/')).toBe(false));
  test('file URL rejected', () => expect(isNavigationAllowed('file:///etc/passwd')).toBe(false));
  test('project host rejected', () => expect(isNavigationAllowed('app://project/samples/c1/s1.jpg')).toBe(false));
  test('credentials in URL rejected', () => expect(isNavigationAllowed('app://user:pw@renderer/index.html')).toBe(false));
  test('garbage rejected', () => expect(isNavigationAllowed('not a url')).toBe(false));
});

describe('permission policy', () => {
  test('camera granted to renderer', () => expect(isPermissionGranted('media', RENDERER_ENTRY_URL, ['video'])).toBe(true));
  test('microphone granted to renderer', () => expect(isPermissionGranted('media', RENDERER_ENTRY_URL, ['audio'])).toBe(true));
  test('media denied to other origins', () => expect(isPermissionGranted('media', 'https://example.com/', ['video'])).toBe(false));
  test('geolocation denied', () => expect(isPermissionGranted('geolocation', RENDERER_ENTRY_URL)).toBe(false));
  test('notifications denied', () => expect(isPermissionGranted('notifications', RENDERER_ENTRY_URL)).toBe(false));
});

describe('IPC sender check', () => {
  const windows = new Set([1]);
  test('own window on own page trusted', () => expect(isTrustedSender(RENDERER_ENTRY_URL, 1, windows)).toBe(true));
  test('unknown window rejected', () => expect(isTrustedSender(RENDERER_ENTRY_URL, 2, windows)).toBe(false));
  test('own window on foreign page rejected', () => expect(isTrustedSender('https://example.com/', 1, windows)).toBe(false));
  test('missing frame rejected', () => expect(isTrustedSender(undefined, 1, windows)).toBe(false));
});

describe('menu template', () => {
  test('labels have the same keys in both languages', () => {
    expect(Object.keys(menuLabels('zh-TW')).sort()).toEqual(Object.keys(menuLabels('en')).sort());
  });

  test('file menu sends commands', () => {
    const sent: string[] = [];
    const template = buildMenuTemplate('en', ['/projects/a'], (command) => sent.push(command), false);
    const file = template[0].submenu as { label?: string; click?: () => void; submenu?: unknown }[];
    for (const item of file) item.click?.();
    expect(sent).toEqual(['project:new', 'project:open', 'project:save', 'samples:import-images', 'project:import-tm', 'model:export']);
  });

  test('recent projects listed', () => {
    const template = buildMenuTemplate('zh-TW', ['/projects/a', '/projects/b'], () => undefined, false);
    const file = template[0].submenu as { label?: string; submenu?: { label?: string }[] }[];
    const recent = file.find((item) => item.label === menuLabels('zh-TW').recent);
    expect(recent?.submenu?.map((item) => item.label)).toEqual(['/projects/a', '/projects/b']);
  });
});
