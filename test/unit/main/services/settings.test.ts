import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../../../main/services/settings';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-settings-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const fileWith = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};

describe('settings on read', () => {
  it.each([
    ['pushConcurrency', '"two"', /"pushConcurrency" must be a whole number from 1 to 16, not "two"/],
    ['pushConcurrency', '0', /"pushConcurrency" must be a whole number/],
    ['streams', '["stable"]', /"streams" must be \{"add"/],
    ['streams', '{"add": "next"}', /"streams" must be \{"add"/],
    ['graduationRepos', '"https://x"', /"graduationRepos" must be a list of strings/],
    ['bodhiUrl', '"ftp://bodhi"', /"bodhiUrl" must be an http\(s\) URL/],
    ['upstream', '"a b"', /"upstream" must be a remote name/],
    ['recent', '[{"dir": 1}]', /"recent" must be a list/],
  ])('refuses %s = %s, naming the key and the file, and leaves the file as it was', (key, value, why) => {
    const text = `{"${key}": ${value}}\n`;
    const f = fileWith(`bad-${key}-${value.length}.json`, text);
    expect(() => new SettingsStore(f).read()).toThrow(why);
    try {
      new SettingsStore(f).read();
    } catch (err) {
      expect(err).toMatchObject({ code: 'bad-input', data: { file: f, key } });
      expect((err as Error).message).toContain(f);
    }
    expect(fs.readFileSync(f, 'utf8')).toBe(text);
  });

  it('refuses a file that is not JSON or not an object, naming it', () => {
    expect(() => new SettingsStore(fileWith('trunc.json', '{"upstream": ')).read()).toThrow(/trunc.json is not JSON/);
    expect(() => new SettingsStore(fileWith('list.json', '[]')).read()).toThrow(/list.json must hold a JSON object/);
  });

  it('reads a missing file as the defaults and a good one as written, keeping unknown keys', () => {
    expect(new SettingsStore(path.join(dir, 'none.json')).read()).toMatchObject({ upstream: 'origin', pushConcurrency: 2 });
    const s = new SettingsStore(fileWith('good.json', '{"pushConcurrency": 3, "streams": {"hide": ["next"]}, "future": true}')).read();
    expect(s).toMatchObject({ pushConcurrency: 3, streams: { add: [], hide: ['next'] }, future: true });
  });
});
