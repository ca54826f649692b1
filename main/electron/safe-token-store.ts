/**
 * Tokens kept with Electron's safeStorage (the OS keychain encrypts them). Where encryption
 * is not available nothing is remembered: the user is asked each time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';
import { writeFileAtomic } from '../git/atomic-fs';
import type { CredentialProvider, Credentials } from '../services/credentials';

export function safeTokenStore(file: string): CredentialProvider & { save(url: string, c: Credentials): Promise<void> } {
  const origin = (url: string) => {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  };
  const read = (): Record<string, Credentials> => {
    if (!safeStorage.isEncryptionAvailable()) return {};
    try {
      return JSON.parse(safeStorage.decryptString(fs.readFileSync(file))) as Record<string, Credentials>;
    } catch {
      return {};
    }
  };
  const write = async (all: Record<string, Credentials>) => {
    if (!safeStorage.isEncryptionAvailable()) return;
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(file, safeStorage.encryptString(JSON.stringify(all)), { mode: 0o600 });
  };
  return {
    async get(url, attempt) {
      return attempt === 0 ? (read()[origin(url)] ?? null) : null;
    },
    async approve(url, c) {
      await write({ ...read(), [origin(url)]: c });
    },
    async reject(url) {
      const all = read();
      delete all[origin(url)];
      await write(all);
    },
    async save(url, c) {
      await write({ ...read(), [origin(url)]: c });
    },
  };
}
