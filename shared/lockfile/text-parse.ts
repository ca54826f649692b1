/** Parsing of JSON/YAML text into plain values with located errors. */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { AppError, type ErrorPlace } from '../errors';
import type { LockFormat } from './files';

/** Line (1-based) of a character offset in a text. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Parses a lock data file's text; a syntax error names the file, commit and line. */
export function parseLockText(text: string, format: LockFormat, place: ErrorPlace): unknown {
  if (format === 'json') {
    try {
      return JSON.parse(text);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      // Node 20's messages quote text instead of giving a position: find it ourselves.
      const offset = jsonErrorOffset(text);
      const line = offset === null ? undefined : lineOfOffset(text, offset);
      const near = offset === null ? '' : ` near ${JSON.stringify(text.slice(offset, offset + 20))}`;
      const why = msg.split('\n')[0].replace(/, ".*$/, '').slice(0, 80);
      throw new AppError('bad-file', `${where(place, line)}: malformed JSON${near}: ${why}`, { ...place, line });
    }
  }
  try {
    return parseYaml(text, { uniqueKeys: true, prettyErrors: false });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const line = err.linePos?.[0]?.line;
      throw new AppError('bad-file', `${where(place, line)}: malformed YAML: ${err.message.split('\n')[0]}`, {
        ...place,
        line,
      });
    }
    throw err;
  }
}

/** `file:line (commit abc123)` for the start of an error message. */
export function where(place: ErrorPlace, line?: number): string {
  const l = line ?? place.line;
  let s = place.file ?? '(input)';
  if (l) s += `:${l}`;
  if (place.commit) s += ` at ${place.commit.slice(0, 12)}`;
  return s;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Offset of the first JSON syntax error in `text`, or null when none is found. */
export function jsonErrorOffset(text: string): number | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const str = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail();
    i++;
  };
  const num = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (!m) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    } else if (c === '"') str();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else num();
  };
  try {
    value();
    ws();
    return i < text.length ? i : null;
  } catch (pos) {
    return typeof pos === 'number' ? Math.min(pos, text.length) : null;
  }
}
