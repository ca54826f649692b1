/** `lockstep vercmp A B` and `lockstep evrcmp A B`, with `--stdin` for bulk use. */
import fs from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';
import { compareEvr, parseEvr } from '../../../shared/rpm/nevra';
import { rpmvercmp } from '../../../shared/rpm/rpmvercmp';
import { usageError } from '../errors';
import { writeOut } from '../output';

type Compare = (a: string, b: string) => number;

const evrcmp: Compare = (a, b) => compareEvr(parseEvr(a), parseEvr(b));

function run(name: string, cmp: Compare, a: string | undefined, b: string | undefined, opts: { stdin?: boolean }): void {
  if (opts.stdin) {
    if (a !== undefined || b !== undefined) throw usageError(`${name}: give either A B or --stdin, not both`);
    const text = fs.readFileSync(0, 'utf8');
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    // Compute everything first so a malformed line prints nothing but the error.
    const results = lines.map((line, i) => {
      const parts = line.replace(/\r$/, '').split('\t');
      if (parts.length !== 2) {
        throw new AppError('bad-input', `stdin line ${i + 1}: expected "a<TAB>b", got ${JSON.stringify(line)}`, { line: i + 1 });
      }
      try {
        return cmp(parts[0], parts[1]);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        throw new AppError('bad-input', `stdin line ${i + 1}: ${msg}`, { line: i + 1 });
      }
    });
    writeOut(results.map((r) => `${r}\n`).join(''));
    return;
  }
  if (a === undefined || b === undefined) throw usageError(`${name}: needs two arguments A B (or --stdin)`);
  writeOut(`${cmp(a, b)}\n`);
}

export function registerVercmp(program: Command): void {
  program
    .command('vercmp')
    .description("compare two version strings with rpm's rpmvercmp; prints -1, 0 or 1")
    .argument('[a]')
    .argument('[b]')
    .option('--stdin', 'read "a<TAB>b" pairs, one a line, print one result a line')
    .action((a, b, opts) => run('vercmp', rpmvercmp, a, b, opts));
  program
    .command('evrcmp')
    .description('compare two [E:]V[-R] strings as rpm does; prints -1, 0 or 1')
    .argument('[a]')
    .argument('[b]')
    .option('--stdin', 'read "a<TAB>b" pairs, one a line, print one result a line')
    .action((a, b, opts) => run('evrcmp', evrcmp, a, b, opts));
}
