import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanupTempDirs, makeTempDir } from '../../../helpers/tmp';

const state = { available: true, backend: 'gnome_libsecret' };
vi.mock('electron', () => ({
  safeStorage: {
    isEncryptionAvailable: () => state.available,
    getSelectedStorageBackend: () => state.backend,
    // A reversible stand-in for the OS keychain: enough to see nothing is stored in clear.
    encryptString: (s: string) => Buffer.from(s, 'utf8').map((b) => b ^ 0x5a),
    decryptString: (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
  },
}));

const { safeTokenStore } = await import('../../../../main/electron/safe-token-store');

describe('the safeStorage token store', () => {
  let file: string;
  beforeEach(() => {
    state.available = true;
    state.backend = 'gnome_libsecret';
    file = path.join(makeTempDir('lockstep-tokens-'), 'sub', 'tokens.bin');
  });
  afterAll(cleanupTempDirs);

  it('remembers a token per origin, encrypted, in a file only the user can read', async () => {
    const store = safeTokenStore(file);
    await store.save('https://git.example/org/repo.git', { username: 'u', password: 'tok-123' });
    expect(fs.readFileSync(file).toString('utf8')).not.toContain('tok-123');
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await store.get('https://git.example/other.git', 0)).toEqual({ username: 'u', password: 'tok-123' });
    expect(await store.get('https://other.example/org/repo.git', 0)).toBeNull();
    // A retry after a rejection asks the user instead.
    expect(await store.get('https://git.example/org/repo.git', 1)).toBeNull();
    await store.reject('https://git.example/org/repo.git', { username: 'u', password: 'tok-123' });
    expect(await store.get('https://git.example/org/repo.git', 0)).toBeNull();
  });

  it('remembers nothing without real encryption: asks each time', async () => {
    state.available = false;
    const store = safeTokenStore(file);
    await store.save('https://git.example/r.git', { username: 'u', password: 'p' });
    expect(fs.existsSync(file)).toBe(false);
    expect(await store.get('https://git.example/r.git', 0)).toBeNull();
    if (process.platform === 'linux') {
      state.available = true;
      state.backend = 'basic_text';
      await store.approve('https://git.example/r.git', { username: 'u', password: 'p' });
      expect(fs.existsSync(file)).toBe(false);
    }
  });

  it('treats an unreadable file as empty and a bad URL as nothing to remember', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'garbage');
    const store = safeTokenStore(file);
    expect(await store.get('https://git.example/r.git', 0)).toBeNull();
    await store.save('not a url', { username: 'u', password: 'p' });
    expect(await store.get('not a url', 0)).toBeNull();
  });
});
