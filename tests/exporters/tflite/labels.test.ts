import { describe, expect, it } from 'vitest';
import { formatLabelsTxt, parseLabelsTxt } from '../../../models/exporters/tflite/labels.js';

describe('parseLabelsTxt', () => {
  it('index lines lose the index', () => {
    expect(parseLabelsTxt(formatLabelsTxt(['Thumbs Up', '2 cats']))).toEqual(['Thumbs Up', '2 cats']);
  });

  it('CRLF and blank lines', () => {
    expect(parseLabelsTxt('0 silence\r\n1 unknown\r\n\r\n2 yes\r\n3 no\r\n\r\n')).toEqual(['silence', 'unknown', 'yes', 'no']);
  });

  it('byte order mark before the first index', () => {
    expect(parseLabelsTxt('\uFEFF0 貓\r\n1 狗\r\n')).toEqual(['貓', '狗']);
  });

  it('bare labels stay whole', () => {
    expect(parseLabelsTxt('\uFEFF1 up\n0 down\n')).toEqual(['1 up', '0 down']);
  });
});
