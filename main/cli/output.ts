/** Terminal output helpers for the CLI: plain tables and JSON, stdout only for results. */

let stdoutClosed = false;

/**
 * Makes a closed reader quiet. `lockstep diff --json | head -1` closes the pipe while we still
 * write: the reader asked for no more, so that is no failure to report (no stack trace). The
 * run is not cut short: a command that writes (pin) finishes and releases its lock, and exits
 * with its own status; only its further output is dropped. Other stdout errors are thrown as
 * before. A closed stderr only loses messages.
 */
export function endQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') {
      stdoutClosed = true;
      return;
    }
    throw err;
  });
  process.stderr.on('error', () => undefined);
}

/** Writes to stdout unless its reader has gone. */
export function writeOut(text: string): void {
  if (!stdoutClosed && !process.stdout.destroyed) process.stdout.write(text);
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

/** Writes a value as JSON with a trailing newline. */
export function printJson(value: unknown): void {
  writeOut(`${JSON.stringify(value, null, 2)}\n`);
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
