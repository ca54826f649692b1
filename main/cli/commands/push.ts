/**
 * `lockstep push DRAFT`: the draft as a new branch on the push remote, then the PR page.
 * `lockstep push DRAFT1 DRAFT2... --in-order`: one after another, each pushed only once the
 * previous one's checks passed (build order); a red check stops the rest, each with its reason.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { describeState, type DraftState } from '../../../shared/drafts/lifecycle';
import { AppError } from '../../../shared/errors';
import { fileTokenStore, gitCredentialProvider } from '../../git/transport/credentials';
import type { ConfigRepo } from '../../services/review/config-repo';
import { DraftStore } from '../../services/drafts/store';
import { forgeFromEnv, helperToken } from '../../services/push/forge-github';
import { pushDraft } from '../../services/push/push';
import { PushQueue } from '../../services/push/queue';
import { dataDir, SettingsStore } from '../../services/settings';
import { usageError } from '../errors';
import { printJson, printLine } from '../output';
import { withRepo, withRepoOption } from '../repo-option';
import { repairDrafts } from '../drafts-repair';

/** Runs an ordered push to its end in this process: the records keep the order, so an interrupted run continues when the app opens the repo. */
async function pushInOrder(repo: ConfigRepo, branches: string[], opts: { remote?: string; json?: boolean }): Promise<void> {
  const credentials = gitCredentialProvider(fileTokenStore(path.join(dataDir(), 'tokens.json')));
  const settings = new SettingsStore().read();
  const queue = new PushQueue(repo, {
    remote: opts.remote ?? (settings.pushRemote || undefined),
    credentials,
    forge: forgeFromEnv(process.env, helperToken(gitCredentialProvider())),
    onChange: (branch, state: DraftState) => process.stderr.write(`lockstep: ${branch}: ${describeState(state)}\n`),
    onError: (err) => process.stderr.write(`lockstep: warning: ${err.message}\n`),
  });
  await queue.enqueueInOrder(branches);
  await queue.idle();
  const store = new DraftStore(repo);
  const out = [];
  for (const b of branches) {
    const d = await store.get(b);
    out.push({ branch: b, state: d.state.kind, state_detail: describeState(d.state), pr_url: d.push?.prUrl ?? null });
  }
  if (opts.json) printJson(out);
  else for (const o of out) printLine(`${o.branch}\t${o.state_detail}`);
  const notPassed = out.filter((o) => o.state !== 'passed');
  if (notPassed.length) throw new AppError('conflict', `${notPassed.length} of ${out.length} drafts did not pass: ${notPassed.map((o) => `${o.branch} (${o.state_detail})`).join('; ')}`, { ref: notPassed[0].branch });
}

export function registerPush(program: Command): void {
  withRepoOption(program.command('push').description('push a draft as a new branch for CI gating (never forced, never stale)').argument('<drafts...>'))
    .option('--remote <name>', 'the push remote (your fork, or the upstream remote)')
    .option('--remote-branch <name>', 'the branch name on the remote (default override-<stream>-<srpm>-<version>-<release>)')
    .option('--in-order', "push several drafts one after another, each once the previous one's checks passed")
    .option('--json', 'print JSON')
    .action(async (branches: string[], opts) => {
      if (opts.inOrder) {
        if (branches.length < 2) throw usageError('push --in-order: give two drafts or more');
        if (opts.remoteBranch) throw usageError('push --in-order: --remote-branch names one branch; push that draft on its own');
        return withRepo(opts, (repo) => pushInOrder(repo, branches, { remote: opts.remote, json: opts.json }), repairDrafts);
      }
      if (branches.length > 1) throw usageError('push: several drafts go with --in-order (each waits for the previous one\'s checks)');
      const branch = branches[0];
      const credentials = gitCredentialProvider(fileTokenStore(path.join(dataDir(), 'tokens.json')));
      const r = await withRepo(opts, (repo) => pushDraft(repo, branch, { remote: opts.remote, remoteBranch: opts.remoteBranch, credentials }), repairDrafts);
      if (opts.json) printJson({ remote: r.remote, branch: r.remoteBranch, commit: r.commit, pr_url: r.prUrl, already_pushed: r.alreadyPushed, updated: r.updated });
      else {
        printLine(r.remoteBranch);
        if (r.prUrl) printLine(r.prUrl);
      }
    });
}
