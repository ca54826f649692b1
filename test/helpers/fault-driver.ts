/**
 * A child process for the kill tests that makes one write no CLI command makes alone, through
 * the product's own service (bundled by bundle-for-child.ts): `node driver.cjs WHAT ARGS...`.
 *   raw-save GITDIR STREAM BASE FILE TEXTFILE   a raw edit saved as the editor saves it
 *   settings FILE KEY JSON                      one setting changed, as the settings screen does
 *   token FILE URL USER PASSWORD                a token saved, as a push that was let in does
 * Prints what it wrote; a failure is printed and exits 1.
 */
import fs from 'node:fs';
import { fileTokenStore } from '../../main/git/transport/credentials';
import { DraftStore } from '../../main/services/drafts/store';
import { ConfigRepo } from '../../main/services/review/config-repo';
import { SettingsStore, type Settings } from '../../main/services/settings';

async function main(what: string, args: string[]): Promise<string> {
  if (what === 'raw-save') {
    const [gitdir, stream, base, file, textFile] = args;
    const repo = await ConfigRepo.open(gitdir);
    try {
      const store = new DraftStore(repo);
      // As the app does at open: what a killed writer left is finished or rolled back first.
      await store.repair();
      const rec = await store.saveRaw({ stream, base, files: { [file]: fs.readFileSync(textFile, 'utf8') }, message: `overrides: raw edit of ${file}` });
      return rec.branch;
    } finally {
      repo.close();
    }
  }
  if (what === 'settings') {
    const [file, key, json] = args;
    const next = await new SettingsStore(file).update((s) => ({ ...s, [key]: JSON.parse(json) }) as Settings);
    return JSON.stringify(next[key as keyof Settings]);
  }
  if (what === 'token') {
    const [file, url, username, password] = args;
    await fileTokenStore(file).save(url, { username, password });
    return url;
  }
  throw new Error(`unknown driver step ${what}`);
}

main(process.argv[2], process.argv.slice(3)).then(
  (out) => process.stdout.write(`${out}\n`),
  (err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  },
);
