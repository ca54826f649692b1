/**
 * Which command module registers each verb. Plain data with no imports: the CLI's tiny entry
 * (`entry.ts`) reads it to load the one bundle a verb needs, and `program.ts` to register it.
 */
export const VERBS = {
  vercmp: 'vercmp',
  evrcmp: 'vercmp',
  streams: 'streams',
  diff: 'diff',
  pin: 'drafts',
  unpin: 'drafts',
  drafts: 'drafts',
  rebase: 'drafts',
  discard: 'drafts',
  adopt: 'drafts',
  history: 'history',
  promote: 'promote',
  graduated: 'graduated',
  push: 'push',
  serve: 'serve',
  srpms: 'from-update',
  available: 'from-update',
  advisories: 'advisories',
  carries: 'advisories',
  clone: 'transfer',
  fetch: 'transfer',
} as const;

export type Verb = keyof typeof VERBS;
export type CommandModule = (typeof VERBS)[Verb];

/** The verb `argv` names (its first word that is not an option), if it is one. */
export function verbOf(argv: readonly string[]): Verb | null {
  const name = argv.find((a) => !a.startsWith('-'));
  return name !== undefined && Object.hasOwn(VERBS, name) ? (name as Verb) : null;
}
