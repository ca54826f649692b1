/** Terminal output helpers for the CLI: plain tables and JSON, stdout only for results. */

import { writeSync } from 'node:fs';

let stdoutClosed = false;
/**
 * Whether output goes straight to descriptor 1. Node makes process.stdout (and stderr) at their
 * first use, loading its stream modules: 4 ms of every CLI start, more than a warm `history`
 * spends on its own output. So until something asks for the stream, writeOut writes to the
 * descriptor itself; once the stream exists, everything goes through it, in order.
 */
let direct = false;
/** Whether process.stderr was made a stream: what is written to it may wait to be flushed. */
let stderrMade = false;

/**
 * Makes a closed reader quiet. `lockstep diff --json | head -1` closes the pipe while we still
 * write: the reader asked for no more, so that is no failure to report (no stack trace). The
 * run is not cut short: a command that writes (pin) finishes and releases its lock, and exits
 * with its own status; only its further output is dropped. Other stdout errors are thrown as
 * before. A closed stderr only loses messages. The streams get their handlers when first used.
 */
export function endQuietlyOnClosedPipe(): void {
  direct = onFirstUse('stdout', (stream) => {
    direct = false;
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') {
        stdoutClosed = true;
        return;
      }
      throw err;
    });
  });
  onFirstUse('stderr', (stream) => {
    stderrMade = true;
    stream.on('error', () => undefined);
  });
}

/** True while neither stdout nor stderr was made a stream: all output went straight to its descriptor, and none waits to be written. */
export function outputSettled(): boolean {
  return direct && !stderrMade;
}

/** Runs `attach` on process[name] when it is first made; true if that is still to come. */
function onFirstUse(name: 'stdout' | 'stderr', attach: (s: NodeJS.WriteStream) => void): boolean {
  const d = Object.getOwnPropertyDescriptor(process, name);
  const get = d?.get;
  if (!get || !d.configurable) {
    attach(process[name]);
    return false;
  }
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: d.enumerable,
    get() {
      const stream = get.call(process) as NodeJS.WriteStream;
      Object.defineProperty(process, name, { configurable: true, enumerable: d.enumerable, get });
      attach(stream);
      return stream;
    },
  });
  return true;
}

/** Writes to stdout unless its reader has gone. */
export function writeOut(text: string): void {
  if (stdoutClosed) return;
  if (direct) {
    let buf: Buffer | null = null;
    let at = 0;
    try {
      // The string as it is (no copy into a Buffer first); a write a non-blocking descriptor cut short goes on from bytes.
      at = writeSync(1, text);
      if (at === Buffer.byteLength(text)) return;
      buf = Buffer.from(text);
      while (at < buf.length) at += writeSync(1, buf, at, buf.length - at);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') {
        stdoutClosed = true;
        return;
      }
      // A descriptor another process left non-blocking, full for now: the stream waits for it.
      if (code !== 'EAGAIN') throw err;
    }
    buf ??= Buffer.from(text);
    process.stdout.write(buf.subarray(at));
    return;
  }
  if (!process.stdout.destroyed) process.stdout.write(text);
}

/**
 * Remote text (Bodhi's messages, a repo's URLs) made safe for a terminal: control characters
 * (escape sequences that could move the cursor, rewrite earlier lines or set the title) become
 * `?`. JSON output needs none of this: JSON.stringify escapes them.
 */
export function terminalText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}

/**
 * Writes a value as JSON with a trailing newline, exactly as `JSON.stringify(value, null, 2)`.
 * A long array goes out in batches: one indented string of a megabyte (a `history` at 10x) took
 * 30 ms to make and write, batches of 64 items 12 ms, in young memory used again and again.
 */
export function printJson(value: unknown): void {
  for (const text of jsonText(value)) writeOut(text);
}

/** Writes the items of these pages as one JSON array, as printJson would the whole: each page is written before the next is made. */
export function printJsonPages(pages: Iterable<readonly unknown[]>): void {
  for (const text of jsonPagesText(pages)) writeOut(text);
}

const JSON_BATCH = 64;

/** The pieces of `JSON.stringify(value, null, 2)` and a newline, in order. */
export function* jsonText(value: unknown): Generator<string> {
  if (!Array.isArray(value) || value.length <= JSON_BATCH) yield `${JSON.stringify(value, null, 2)}\n`;
  else yield* jsonPagesText([value]);
}

/** The pieces of `JSON.stringify(items, null, 2)` and a newline, for the items of all pages in order. */
export function* jsonPagesText(pages: Iterable<readonly unknown[]>): Generator<string> {
  let first = true;
  for (const page of pages) {
    for (let i = 0; i < page.length; i += JSON_BATCH) {
      // A batch's own array text less its brackets: its items at the same indent as in the whole.
      // The separator goes on its own: joined to the batch, the two would be copied into a
      // third string before the write.
      const batch = JSON.stringify(page.slice(i, i + JSON_BATCH), null, 2);
      yield first ? '[\n' : ',\n';
      yield batch.slice(2, -2);
      first = false;
    }
  }
  yield first ? '[]\n' : '\n]\n';
}

export function printLine(line = ''): void {
  writeOut(`${line}\n`);
}

/** Renders rows as a space-aligned table; the first row is the header. */
export function formatTable(rows: string[][], align: ('left' | 'right')[] = []): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => {
          const pad = ' '.repeat(widths[i] - [...cell].length);
          return align[i] === 'right' ? pad + cell : i === r.length - 1 ? cell : cell + pad;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
