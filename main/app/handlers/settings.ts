/**
 * Handlers of the settings screen: read and change settings.json, validated, and applied at
 * once (the push queue restarts with the new remote and concurrency; a new upstream reopens
 * the repo so streams resolve through it). Everything else reads settings on each call.
 */
import type { ApiHandlers } from '../../../shared/api/contract';
import { validateSettings, type SettingsView } from '../../../shared/api/settings-types';
import { AppError } from '../../../shared/errors';
import type { Settings } from '../../services/settings';
import type { Session } from '../session';

type SettingsCalls = 'settings:get' | 'settings:set' | 'forge:tokenStatus' | 'forge:setToken';

function view(s: Settings): SettingsView {
  const overriddenBy: SettingsView['overriddenBy'] = {};
  if (process.env.LOCKSTEP_BODHI_URL) overriddenBy.bodhiUrl = 'LOCKSTEP_BODHI_URL';
  if (process.env.LOCKSTEP_KOJI_URL) overriddenBy.kojiUrl = 'LOCKSTEP_KOJI_URL';
  const { recent: _recent, ...rest } = s;
  return { ...rest, streams: { add: [...s.streams.add], hide: [...s.streams.hide] }, overriddenBy };
}

export function settingsHandlers(s: Session): Pick<ApiHandlers, SettingsCalls> {
  return {
    'settings:get': async () => view(s.settings.read()),
    'forge:tokenStatus': () => s.githubTokenStatus(),
    'forge:setToken': (req) => s.setGithubToken(req?.token),
    'settings:set': async (req) => {
      const patch = { ...(req ?? {}) } as Record<string, unknown>;
      delete patch.overriddenBy;
      delete patch.recent;
      const problems = validateSettings(patch);
      if (problems.length) throw new AppError('bad-input', problems.map((p) => p.message).join('; '), { field: problems[0].field });
      const before = s.settings.read();
      const next = await s.settings.update((cur) => ({ ...cur, ...patch, streams: { ...cur.streams, ...(patch.streams as Settings['streams'] | undefined) } }));
      if (s.repo) {
        if (next.upstream !== before.upstream) {
          // Streams resolve through the upstream remote: reopen so every view reads through the new one.
          await s.open(s.repo.location.dir, s.info?.demo ?? false);
        } else if (next.pushRemote !== before.pushRemote || next.pushConcurrency !== before.pushConcurrency) {
          s.startQueue();
        }
      }
      return view(next);
    },
  };
}
