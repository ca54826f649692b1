/**
 * Tokens kept with Electron's safeStorage (the OS keychain encrypts them), with the same
 * interface as the browser host's fileTokenStore. Where no real encryption is available
 * (safeStorage unavailable, or Linux's `basic_text` fallback, which is obfuscation with a
 * hard-coded key) nothing is remembered: the user is asked each time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';
import { writeFileAtomic } from '../git/atomic-fs';
import { originOf, type CredentialProvider, type Credentials } from '../git/transport/credentials';

/** True when safeStorage encrypts with a real OS secret. */
export function canRememberTokens(): boolean {
  try {
    if (!safeStorage.isEncryptionAvailable()) return false;
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
  } catch {
    return false;
  }
}

export function safeTokenStore(file: string): CredentialProvider & { save(url: string, c: Credentials): Promise<void> } {
  const read = (): Record<string, Credentials> => {
    if (!canRememberTokens()) return {};
    try {
      const all = JSON.parse(safeStorage.decryptString(fs.readFileSync(file))) as unknown;
      return all && typeof all === 'object' ? (all as Record<string, Credentials>) : {};
    } catch {
      // Missing, or encrypted with a key this session cannot use: as if empty.
      return {};
    }
  };
  const write = async (all: Record<string, Credentials>) => {
    if (!canRememberTokens()) return;
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(file, safeStorage.encryptString(JSON.stringify(all)), { mode: 0o600 });
  };
  const remember = async (url: string, c: Credentials) => {
    const key = originOf(url);
    if (key) await write({ ...read(), [key]: { username: c.username, password: c.password } });
  };
  return {
    async get(url, attempt) {
      const key = originOf(url);
      return attempt === 0 && key ? (read()[key] ?? null) : null;
    },
    approve: remember,
    save: remember,
    async reject(url) {
      const key = originOf(url);
      const all = read();
      if (key && all[key]) {
        delete all[key];
        await write(all);
      }
    },
  };
}
