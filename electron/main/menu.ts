// The native menus, in the renderer's language. Commands go to the renderer as 'menu:command'.

import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../api/bridge.js';

export type MenuLocale = 'en' | 'zh-TW';

const LABELS = {
  en: {
    file: 'File', new: 'New Project…', open: 'Open Project…', save: 'Save', recent: 'Open Recent', noRecent: 'No recent projects',
    importImages: 'Import Images…', importTm: 'Import Teachable Machine Export…', export: 'Export Model…', quit: 'Quit',
    edit: 'Edit', view: 'View', language: 'Language', help: 'Help', about: 'About Edge Trainer',
  },
  'zh-TW': {
    file: '檔案', new: '新增專案…', open: '開啟專案…', save: '儲存', recent: '最近使用的專案', noRecent: '沒有最近使用的專案',
    importImages: '匯入圖片…', importTm: '匯入 Teachable Machine 模型…', export: '匯出模型…', quit: '結束',
    edit: '編輯', view: '檢視', language: '語言', help: '說明', about: '關於 Edge Trainer',
  },
} as const satisfies Record<MenuLocale, Record<string, string>>;

export function menuLabels(locale: MenuLocale): Readonly<Record<keyof (typeof LABELS)['en'], string>> {
  return LABELS[locale];
}

/** Builds the menu template; `send` delivers a command to the focused window's renderer. */
export function buildMenuTemplate(locale: MenuLocale, recent: readonly string[], send: (command: MenuCommand, argument?: string) => void, isMac: boolean): MenuItemConstructorOptions[] {
  const text = LABELS[locale];
  const recentItems: MenuItemConstructorOptions[] =
    recent.length === 0 ? [{ label: text.noRecent, enabled: false }] : recent.map((dir) => ({ label: dir, click: () => send('project:open-recent', dir) }));
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: text.file,
      submenu: [
        { label: text.new, accelerator: 'CmdOrCtrl+N', click: () => send('project:new') },
        { label: text.open, accelerator: 'CmdOrCtrl+O', click: () => send('project:open') },
        { label: text.recent, submenu: recentItems },
        { label: text.save, accelerator: 'CmdOrCtrl+S', click: () => send('project:save') },
        { type: 'separator' },
        { label: text.importImages, click: () => send('samples:import-images') },
        { label: text.importTm, click: () => send('project:import-tm') },
        { label: text.export, accelerator: 'CmdOrCtrl+E', click: () => send('model:export') },
        { type: 'separator' },
        { label: text.quit, role: 'quit' },
      ],
    },
    { label: text.edit, role: 'editMenu' },
    {
      label: text.language,
      submenu: [
        { label: '繁體中文', type: 'radio', checked: locale === 'zh-TW', click: () => send('language:zh-TW') },
        { label: 'English', type: 'radio', checked: locale === 'en', click: () => send('language:en') },
      ],
    },
    { label: text.help, submenu: [{ label: text.about, click: () => send('app:about') }] },
  ];
}
