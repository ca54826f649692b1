/** The settings the app's settings screen edits (everything in settings.json but the recent-repo list). */
export interface SettingsView {
  /** The upstream remote whose branches are the streams. */
  upstream: string;
  /** Where drafts are pushed (a fork's remote name); empty: the upstream remote. */
  pushRemote: string;
  pushConcurrency: number;
  streams: { add: string[]; hide: string[] };
  graduationRepos: string[];
  buildPoolRepos: string[];
  bodhiUrl: string;
  kojiUrl: string;
  fcosOwnPackages: string[];
  /** Environment variables that win over a setting (LOCKSTEP_BODHI_URL...), for the screen to say so. */
  overriddenBy: Partial<Record<'bodhiUrl' | 'kojiUrl', string>>;
}

/** Where the GitHub token in use comes from; the token itself never reaches the UI. */
export interface GithubTokenStatus {
  /** `env`: LOCKSTEP_GITHUB_TOKEN or GITHUB_TOKEN (named in `variable`), which wins over the rest; `saved`: set in Settings; `git-helper`: git's credential helper's github.com entry; null: none (checks are read anonymously). */
  source: 'env' | 'saved' | 'git-helper' | null;
  variable?: string;
  /** Where a token set in Settings is kept: the OS store (Electron) or git's credential helper (browser host); null: it cannot be kept. */
  store: 'os' | 'git-helper' | null;
}

export type SettingsPatch = Partial<Omit<SettingsView, 'overriddenBy'>>;

/** One field's problem, so the screen can show it beside the field. */
export interface SettingsProblem {
  field: keyof SettingsPatch;
  message: string;
}

const REMOTE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const PACKAGE_RE = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

// shared/ has no URL class (no DOM or Node types): a scheme, a host, and no spaces.
const isHttpUrl = (u: string) => /^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/.test(u);

/** Checks a settings change; an empty list means it may be saved. */
export function validateSettings(p: SettingsPatch): SettingsProblem[] {
  const out: SettingsProblem[] = [];
  if (p.upstream !== undefined && !REMOTE_RE.test(p.upstream)) out.push({ field: 'upstream', message: `"${p.upstream}" is not a remote name (letters, digits, . _ -)` });
  if (p.pushRemote !== undefined && p.pushRemote !== '' && !REMOTE_RE.test(p.pushRemote)) out.push({ field: 'pushRemote', message: `"${p.pushRemote}" is not a remote name; leave it empty to push to the upstream remote` });
  if (p.pushConcurrency !== undefined && !(Number.isInteger(p.pushConcurrency) && p.pushConcurrency >= 1 && p.pushConcurrency <= 8)) {
    out.push({ field: 'pushConcurrency', message: 'pushes at once must be a whole number from 1 to 8' });
  }
  for (const field of ['bodhiUrl', 'kojiUrl'] as const) {
    const v = p[field];
    if (v !== undefined && !isHttpUrl(v)) out.push({ field, message: `"${v}" is not an http(s) URL` });
  }
  for (const field of ['graduationRepos', 'buildPoolRepos'] as const) {
    const bad = p[field]?.find((u) => !isHttpUrl(u));
    if (bad !== undefined) out.push({ field, message: `"${bad}" is not an http(s) URL of an rpm-md repo` });
  }
  const badPkg = p.fcosOwnPackages?.find((n) => !PACKAGE_RE.test(n));
  if (badPkg !== undefined) out.push({ field: 'fcosOwnPackages', message: `"${badPkg}" is not a source package name` });
  const badBranch = [...(p.streams?.add ?? []), ...(p.streams?.hide ?? [])].find((n) => !n || /\s|\.\.|[~^:?*[\\]/.test(n));
  if (badBranch !== undefined) out.push({ field: 'streams', message: `"${badBranch}" is not a branch name` });
  return out;
}
