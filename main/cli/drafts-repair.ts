/** What the commands that write drafts run before anything else (`withRepo`'s `before`). */
import { DraftStore } from '../services/drafts/store';
import type { ConfigRepo } from '../services/review/config-repo';

/** Finishes or rolls back what an earlier killed writer left. */
export async function repairDrafts(repo: ConfigRepo): Promise<void> {
  await new DraftStore(repo).repair();
}
