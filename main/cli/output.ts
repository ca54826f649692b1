/** Terminal output helpers for the CLI: plain tables and JSON, stdout only for results. */

/** Writes a value as JSON with a trailing newline. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(line = ''): void {
  process.stdout.write(`${line}\n`);
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
