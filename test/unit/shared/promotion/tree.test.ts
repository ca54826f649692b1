import { describe, expect, it } from 'vitest';
import { promoteTree, sameRoot, type RootEntry } from '../../../../shared/promotion/tree';

const blob = (name: string, oid: string, mode = '100644'): RootEntry => ({ name, mode, oid, type: 'blob' });
const texts: Record<string, string> = {
  sm: 'ref: testing-devel\n',
  tm: 'ref: testing\n',
  sa: 'STREAM=testing-devel\nDESCRIPTION=dev\nVERSION=42\n',
  ta: 'STREAM=testing\nDESCRIPTION=prod\nVERSION=41\n',
  sd: '- pattern: a\n  snooze: 2024-10-30\n',
  plain: '- pattern: a\n',
};
const read = (oid: string) => texts[oid];
const side = (stream: string, entries: RootEntry[]) => ({ stream, commit: stream[0].repeat(40), entries });

describe('promoteTree', () => {
  const source = side('s', [
    blob('build-args.conf', 'sa'),
    { name: 'coreos-assembler', mode: '160000', oid: 'c'.repeat(40), type: 'commit' },
    blob('kola-denylist.yaml', 'sd', '100755'),
    blob('manifest.yaml', 'sm'),
    { name: 'tests', mode: '040000', oid: 'd'.repeat(40), type: 'tree' },
  ]);
  const target = side('t', [blob('build-args.conf', 'ta'), blob('manifest.yaml', 'tm'), blob('only-here', 'x')]);

  it("is the source's root with the target's manifest, its stream lines and the snoozes disabled; gitlinks and folders by id", () => {
    const r = promoteTree(source, target, read);
    expect(r.entries).toEqual([
      { name: 'build-args.conf', mode: '100644', type: 'blob', text: 'STREAM=testing\nDESCRIPTION=prod\nVERSION=42\n' },
      source.entries[1],
      { name: 'kola-denylist.yaml', mode: '100755', type: 'blob', text: '- pattern: a\n  # snooze: 2024-10-30 (disabled on promotion)\n' },
      target.entries[1],
      source.entries[4],
    ]);
    expect(r.rules.map((x) => [x.file, x.status])).toEqual([
      ['manifest.yaml', 'kept'],
      ['build-args.conf', 'kept'],
      ['kola-denylist.yaml', 'disabled'],
    ]);
  });

  it('takes a 2024 repo (no build-args.conf) and a target that has none yet', () => {
    const old = promoteTree(side('s', [blob('manifest.yaml', 'sm'), blob('kola-denylist.yaml', 'plain')]), side('t', [blob('manifest.yaml', 'tm')]), read);
    expect(old.entries).toEqual([blob('manifest.yaml', 'tm'), blob('kola-denylist.yaml', 'plain')]);
    expect(old.rules.map((x) => x.status)).toEqual(['kept', 'absent', 'same']);
    const first = promoteTree(source, side('t', [blob('manifest.yaml', 'tm')]), read);
    expect(first.entries.find((e) => e.name === 'build-args.conf')).toEqual(source.entries[0]);
    expect(first.rules[1].status).toBe('no-target-file');
  });

  it("refuses a target without manifest.yaml when the source has one: the script stops there", () => {
    expect(() => promoteTree(source, side('t', []), read)).toThrow(/t \(at tttttttttttt\) has no manifest.yaml to keep/);
  });

  it('is the same root as the target when every entry matches (nothing to promote)', () => {
    const r = promoteTree(side('s', [blob('manifest.yaml', 'sm')]), side('t', [blob('manifest.yaml', 'tm')]), read);
    const oidOf = (e: (typeof r.entries)[number]) => ('oid' in e ? e.oid : 'new');
    expect(sameRoot(r.entries, [blob('manifest.yaml', 'tm')], oidOf)).toBe(true);
    expect(sameRoot(r.entries, [blob('manifest.yaml', 'tm'), blob('x', 'y')], oidOf)).toBe(false);
  });
});
