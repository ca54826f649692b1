/** `lockstep push DRAFT`: the draft as a new branch on the push remote, then the PR page. */
import path from 'node:path';
import type { Command } from 'commander';
import { fileTokenStore, gitCredentialProvider } from '../../git/credentials';
import { pushDraft } from '../../services/push';
import { dataDir } from '../../services/settings';
import { printJson, printLine } from '../output';
import { withRepo, withRepoOption } from '../repo-option';

export function registerPush(program: Command): void {
  withRepoOption(program.command('push').description('push a draft as a new branch for CI gating (never forced, never stale)').argument('<draft>'))
    .option('--remote <name>', 'the push remote (your fork, or the upstream remote)')
    .option('--remote-branch <name>', 'the branch name on the remote (default override-<stream>-<srpm>-<version>-<release>)')
    .option('--json', 'print JSON')
    .action(async (branch: string, opts) => {
      const credentials = gitCredentialProvider(fileTokenStore(path.join(dataDir(), 'tokens.json')));
      const r = await withRepo(opts, (repo) => pushDraft(repo, branch, { remote: opts.remote, remoteBranch: opts.remoteBranch, credentials }), { repair: true });
      if (opts.json) printJson({ remote: r.remote, branch: r.remoteBranch, commit: r.commit, pr_url: r.prUrl, already_pushed: r.alreadyPushed, updated: r.updated });
      else {
        printLine(r.remoteBranch);
        if (r.prUrl) printLine(r.prUrl);
      }
    });
}
