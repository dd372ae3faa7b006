// Small helpers that format C99 source text: array initializers, identifiers and string literals.

import type { TensorTypeName } from '../../tflite/reader.js';

export const C_TYPES: Readonly<Partial<Record<TensorTypeName, string>>> = Object.freeze({
  INT8: 'int8_t',
  UINT8: 'uint8_t',
  INT16: 'int16_t',
  INT32: 'int32_t',
  FLOAT32: 'float',
});

const VALUES_PER_LINE = 24;

/** Formats a number as a C literal of the given element type (INT32_MIN needs its own spelling). */
export function cLiteral(value: number, type: string): string {
  if (type === 'float') return Number.isInteger(value) ? `${value}.0f` : `${Math.fround(value).toPrecision(9)}f`;
  if (type === 'double') return Number.isInteger(value) ? `${value}.0` : value.toPrecision(17);
  if (type === 'int32_t' && value === -2147483648) return '(-2147483647 - 1)';
  return String(value);
}

/** `static const TYPE NAME[N] = {...};` with a fixed number of values per line. */
export function cArray(name: string, type: string, values: ArrayLike<number>): string {
  const lines: string[] = [];
  for (let start = 0; start < values.length; start += VALUES_PER_LINE) {
    const row: string[] = [];
    for (let i = start; i < Math.min(values.length, start + VALUES_PER_LINE); i++) row.push(cLiteral(values[i], type));
    lines.push(`  ${row.join(', ')},`);
  }
  if (values.length === 0) lines.push('  0');
  return `static const ${type} ${name}[${Math.max(values.length, 1)}] = {\n${lines.join('\n')}\n};`;
}

/**
 * Escapes text for a C string literal, keeping it ASCII (UTF-8 bytes become octal escapes). Every
 * '?' is escaped too, because -std=c99 reads "??/" and the other trigraphs as other characters.
 */
export function cString(text: string): string {
  let out = '"';
  for (const byte of new TextEncoder().encode(text)) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte === 0x3f) out += '\\?';
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}

/** Makes a C identifier from free text (tensor names, labels). */
export function cIdentifier(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_]/g, '_').replace(/_+/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

/** C99 comment text: the sequence that would close the comment is broken up. */
export function cComment(text: string): string {
  return text.replace(/\*\//g, '* /');
}

/** Bytes of one element of a C type used in the generated arrays. */
export const C_TYPE_BYTES: Readonly<Record<string, number>> = Object.freeze({
  int8_t: 1,
  uint8_t: 1,
  int16_t: 2,
  int32_t: 4,
  float: 4,
  double: 8,
});
