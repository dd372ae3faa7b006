import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { SampleView } from '../../electron/api/types.js';
import ConfidenceBars from '../../renderer/components/ConfidenceBars.svelte';
import ErrorBanner from '../../renderer/components/ErrorBanner.svelte';
import SampleGrid from '../../renderer/components/SampleGrid.svelte';
import ConfusionMatrix from '../../renderer/components/ConfusionMatrix.svelte';
import { i18n } from '../../renderer/lib/i18n/i18n.svelte.js';
import { ErrorState } from '../../renderer/lib/state/errors.svelte.js';

function samples(count: number): SampleView[] {
  return Array.from({ length: count }, (_, index) => ({ id: `s${index + 1}`, classId: 'c1', file: `samples/c1/s${index + 1}.jpg`, addedAt: '2026-01-01T00:00:00Z' }));
}

beforeEach(() => {
  i18n.locale = 'en';
});

afterEach(() => cleanup());

describe('ConfidenceBars', () => {
  test('top label marked', () => {
    render(ConfidenceBars, { prediction: { labels: ['cat', 'dog'], probabilities: [0.2, 0.8] }, testId: 'bars' });
    expect(screen.getByTestId('bars').getAttribute('data-top-label')).toBe('dog');
  });

  test('percentages shown', () => {
    render(ConfidenceBars, { prediction: { labels: ['cat', 'dog'], probabilities: [0.25, 0.75] } });
    expect(screen.getByText('75%')).toBeTruthy();
  });

  test('percentages follow locale', () => {
    i18n.locale = 'zh-TW';
    render(ConfidenceBars, { prediction: { labels: ['cat'], probabilities: [0.5] } });
    expect(screen.getByText('50%')).toBeTruthy();
  });
});

describe('SampleGrid', () => {
  test('large class renders a window only', () => {
    render(SampleGrid, { samples: samples(5000), urlOf: (sample: SampleView) => `/files/${sample.file}`, ondelete: () => undefined });
    const rendered = screen.getAllByRole('listitem').length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(200);
  });

  test('delete reports its sample', async () => {
    const ondelete = vi.fn();
    render(SampleGrid, { samples: samples(3), urlOf: () => '', ondelete });
    await fireEvent.click(screen.getByRole('button', { name: 'Delete sample 2' }));
    expect(ondelete).toHaveBeenCalledWith(expect.objectContaining({ id: 's2' }));
  });

  test('empty class explains how to add', () => {
    render(SampleGrid, { samples: [], urlOf: () => '', ondelete: () => undefined });
    expect(screen.getByText(/No samples yet/)).toBeTruthy();
  });
});

describe('ErrorBanner', () => {
  test('code translated, message kept', () => {
    const errors = new ErrorState();
    errors.report({ code: 'invalid_input', message: 'Cannot read image a.jpg: the file is empty (0 bytes).' });
    render(ErrorBanner, { errors });
    expect(screen.getByRole('alert').textContent).toContain('A file could not be read');
    expect(screen.getByRole('alert').textContent).toContain('a.jpg');
  });

  test('message key translated in zh-TW', () => {
    i18n.locale = 'zh-TW';
    const errors = new ErrorState();
    errors.report({
      code: 'invalid_input',
      message: 'Cannot read image /x/a.jpg: the file is empty (0 bytes).',
      hint: 'Replace or remove this file; it is skipped until then.',
      key: 'image_empty',
      params: { file: '/x/a.jpg' },
    });
    render(ErrorBanner, { errors });
    const text = screen.getByRole('alert').textContent ?? '';
    expect(text).toContain('無法讀取影像 /x/a.jpg：檔案是空的（0 位元組）。');
    expect(text).toContain('請換一個檔案或把它刪除');
    expect(text).not.toContain('Cannot read image');
    expect(text).not.toContain('Replace or remove');
  });

  test('message key in English shows engine text', () => {
    const errors = new ErrorState();
    errors.report({ code: 'corrupt_model', message: 'Invalid TFLite file m.tflite: the buffer is 12 bytes.', key: 'tflite_invalid', params: { file: 'm.tflite' } });
    render(ErrorBanner, { errors });
    expect(screen.getByRole('alert').textContent).toContain('the buffer is 12 bytes');
  });

  test('unknown message key keeps English text', () => {
    i18n.locale = 'zh-TW';
    const errors = new ErrorState();
    errors.report({ code: 'invalid_input', message: 'Something odd in b.jpg.', key: 'no_such_key', params: {} });
    render(ErrorBanner, { errors });
    expect(screen.getByRole('alert').textContent).toContain('Something odd in b.jpg.');
  });

  test('unknown code shown as generic error', () => {
    const errors = new ErrorState();
    errors.report({ code: 'weird', message: 'x' });
    render(ErrorBanner, { errors });
    expect(screen.getByRole('alert').textContent).toContain('Something went wrong');
  });

  test('dismiss hides the banner', async () => {
    const errors = new ErrorState();
    errors.report(new Error('boom'));
    render(ErrorBanner, { errors });
    await fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('ConfusionMatrix', () => {
  test('cells laid out expected by predicted', () => {
    render(ConfusionMatrix, { labels: ['a', 'b'], matrix: [[3, 1], [0, 4]] });
    const rows = screen.getByTestId('confusion-matrix').querySelectorAll('tbody tr');
    expect([...rows].map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent))).toEqual([['3', '1'], ['0', '4']]);
  });
});
