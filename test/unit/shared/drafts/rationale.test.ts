import { describe, expect, it } from 'vitest';
import {
  addSignoff,
  composeRationale,
  draftBranchName,
  isValidBranchName,
  pullRequestTitle,
  pushBranchName,
} from '../../../../shared/drafts/rationale';

describe('composeRationale', () => {
  it('follows the repo conventions for each action', () => {
    expect(composeRationale({ action: 'pin', srpms: ['kernel-6.8.11-300.fc40'], reason: 'https://r/1' })).toBe(
      'overrides: pin kernel-6.8.11-300.fc40\n\nSee: https://r/1\n',
    );
    expect(composeRationale({ action: 'fast-track', srpms: ['podman-5.2.5-1.fc40', 'containers-common-0.60.4-2.fc40'], bodhi: 'https://b/1', reason: 'https://r/2' })).toBe(
      'overrides: fast-track podman-5.2.5-1.fc40, containers-common-0.60.4-2.fc40\n\nBodhi: https://b/1\nSee: https://r/2\n',
    );
    expect(composeRationale({ action: 'unpin', srpms: ['selinux-policy-40.20-1.fc40'] })).toBe('overrides: unpin selinux-policy-40.20-1.fc40\n');
    expect(composeRationale({ action: 'graduate', srpms: [] })).toBe('lockfiles: drop graduated overrides 🎓\n');
  });

  it('adds a note and a sign-off', () => {
    const m = composeRationale({ action: 'pin', srpms: ['a-1-1.fc40'], reason: 'https://r', note: 'Regression in 1.1.', signoff: 'A B <a@b.org>' });
    expect(m).toBe('overrides: pin a-1-1.fc40\n\nSee: https://r\n\nRegression in 1.1.\n\nSigned-off-by: A B <a@b.org>\n');
    expect(addSignoff(m, 'A B <a@b.org>')).toBe(m);
  });
});

describe('names', () => {
  it('prefixes PR titles with the stream, except the development stream', () => {
    expect(pullRequestTitle('testing-devel', 'overrides: pin a-1-1\n\nbody')).toBe('overrides: pin a-1-1');
    expect(pullRequestTitle('stable', 'overrides: pin a-1-1')).toBe('[stable] overrides: pin a-1-1');
  });

  it('makes ref-safe branch names without epochs or unsafe characters', () => {
    expect(draftBranchName('testing-devel', 'podman', '5.2.5', '1.fc40')).toBe('lockstep/testing-devel/podman-5.2.5-1.fc40');
    expect(pushBranchName('stable', 'foo', '1.0~rc1^git2', '1.fc40')).toBe('override-stable-foo-1.0-rc1-git2-1.fc40');
    for (const n of [draftBranchName('next', 'x', '1:2', '3'), pushBranchName('a b', 'c..d', 'e', null)]) expect(isValidBranchName(n)).toBe(true);
  });

  it('checks branch names as git would', () => {
    expect(isValidBranchName('override-stable-podman-5.2.5-1.fc40')).toBe(true);
    for (const bad of ['', 'a..b', 'a:b', 'a~1', 'a^', 'a b', '-a', 'a/', 'a/.b', 'a.lock', 'a@{1}']) expect(isValidBranchName(bad), bad).toBe(false);
  });

  it("titles a promotion's PR with its subject alone, which the promotion-diff check keys on", () => {
    const subject = `tree: promote changes from testing at ${'c'.repeat(40)}`;
    expect(pullRequestTitle('stable', `${subject}\n`)).toBe(subject);
    expect(pullRequestTitle('stable', 'overrides: pin x-1-1.fc40\n')).toBe('[stable] overrides: pin x-1-1.fc40');
  });
});
