// A small ICU MessageFormat subset, enough for the app's strings: {name} arguments, numbers
// formatted per locale, and {count, plural, =0 {...} one {...} other {...}} with # for the count.
// Nested braces inside plural branches are supported; select and ordinal forms are not.

export type MessageValues = Readonly<Record<string, string | number>>;

function findClosingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new Error(`Unbalanced braces in message: ${text}`);
}

function parsePluralBranches(body: string): Map<string, string> {
  const branches = new Map<string, string>();
  let i = 0;
  while (i < body.length) {
    while (i < body.length && /\s/.test(body[i])) i++;
    if (i >= body.length) break;
    const open = body.indexOf('{', i);
    if (open < 0) throw new Error(`Invalid plural branch in: ${body}`);
    const selector = body.slice(i, open).trim();
    const close = findClosingBrace(body, open);
    branches.set(selector, body.slice(open + 1, close));
    i = close + 1;
  }
  return branches;
}

/** Formats `message` with `values` for `locale`. Unknown arguments stay visible as {name}. */
export function formatMessage(message: string, values: MessageValues, locale: string, count?: number): string {
  let out = '';
  let i = 0;
  while (i < message.length) {
    const char = message[i];
    if (char === '#' && count !== undefined) {
      out += new Intl.NumberFormat(locale).format(count);
      i++;
      continue;
    }
    if (char !== '{') {
      out += char;
      i++;
      continue;
    }
    const close = findClosingBrace(message, i);
    const inner = message.slice(i + 1, close);
    const parts = inner.split(',');
    const name = parts[0].trim();
    if (parts.length >= 3 && parts[1].trim() === 'plural') {
      const value = Number(values[name] ?? 0);
      const branches = parsePluralBranches(parts.slice(2).join(','));
      const category = new Intl.PluralRules(locale).select(value);
      const branch = branches.get(`=${value}`) ?? branches.get(category) ?? branches.get('other') ?? '';
      out += formatMessage(branch, values, locale, value);
    } else if (name in values) {
      const value = values[name];
      out += typeof value === 'number' ? new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(value) : value;
    } else {
      out += `{${inner}}`;
    }
    i = close + 1;
  }
  return out;
}
