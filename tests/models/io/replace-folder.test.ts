import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { replaceFolder } from '../../../models/io/atomic.js';

// A rename that fails halfway through the swap (on Windows: a file another program has open) cannot
// be caused portably, because root ignores folder permissions, so that one fault is injected.
const renameFault = vi.hoisted(() => ({ failOn: undefined as string | undefined }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    rename: async (from: string, to: string) => {
      if (renameFault.failOn !== undefined && from.endsWith(renameFault.failOn)) throw Object.assign(new Error(`EPERM: operation not permitted, rename '${from}'`), { code: 'EPERM' });
      return actual.rename(from, to);
    },
  };
});

function writeNew(staging: string): Promise<void> {
  writeFileSync(path.join(staging, 'new.txt'), 'new\n');
  return Promise.resolve();
}

/** Creates PARENT/NAME with one file, old.txt, in a new temporary PARENT. */
function oldFolder(name: string): { parent: string; target: string } {
  const parent = mkdtempSync(path.join(tmpdir(), 'et-replace-'));
  const target = path.join(parent, name);
  mkdirSync(target);
  writeFileSync(path.join(target, 'old.txt'), 'old\n');
  return { parent, target };
}

describe('replaceFolder', () => {
  it('trailing separator on a new folder', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'et-replace-'));
    await replaceFolder(`${path.join(parent, 'pkg')}${path.sep}`, writeNew);
    expect(readFileSync(path.join(parent, 'pkg', 'new.txt'), 'utf8')).toBe('new\n');
    expect(readdirSync(parent)).toEqual(['pkg']);
  });

  it('existing folder loses its old entries', async () => {
    const { parent, target } = oldFolder('pkg');
    mkdirSync(path.join(target, 'src'));
    writeFileSync(path.join(target, 'src', 'old.c'), 'old\n');
    await replaceFolder(`${target}${path.sep}`, writeNew);
    expect(readdirSync(target)).toEqual(['new.txt']);
    expect(readdirSync(parent)).toEqual(['pkg']);
  });

  it('symlink keeps pointing at the filled folder', async () => {
    const { parent, target: real } = oldFolder('real');
    const link = path.join(parent, 'link');
    symlinkSync(real, link, 'dir');
    await replaceFolder(link, writeNew);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readdirSync(real)).toEqual(['new.txt']);
  });

  it('working directory given as "."', async () => {
    const { parent, target } = oldFolder('pkg');
    const before = process.cwd();
    process.chdir(target);
    try {
      await replaceFolder('.', writeNew);
      // The process is still in the same folder, now filled, not in a deleted one.
      expect(readdirSync('.')).toEqual(['new.txt']);
    } finally {
      process.chdir(before);
    }
    expect(readdirSync(parent)).toEqual(['pkg']);
  });

  it('failed fill keeps the old folder', async () => {
    const { parent, target } = oldFolder('pkg');
    const fill = async (staging: string) => {
      await writeNew(staging);
      throw new Error('disk full');
    };
    await expect(replaceFolder(target, fill)).rejects.toThrow('disk full');
    expect(readdirSync(target)).toEqual(['old.txt']);
    expect(readdirSync(parent)).toEqual(['pkg']);
  });

  it('failed move puts the old entries back', async () => {
    const { parent, target } = oldFolder('pkg');
    const fill = async (staging: string) => {
      await writeNew(staging);
      writeFileSync(path.join(staging, 'locked.txt'), 'new\n');
    };
    renameFault.failOn = 'locked.txt';
    try {
      await expect(replaceFolder(target, fill)).rejects.toThrow('EPERM');
    } finally {
      renameFault.failOn = undefined;
    }
    expect(readdirSync(target)).toEqual(['old.txt']);
    expect(readdirSync(parent)).toEqual(['pkg']);
  });
});
