/**
 * Handlers of the Advisories screen (SPEC §2.16): the security updates each stream is missing
 * and the carries answer of the search box, through the same service functions as
 * `lockstep advisories` and `lockstep carries`.
 */
import path from 'node:path';
import type { ApiHandlers } from '../../../shared/api/contract';
import { AppError } from '../../../shared/errors';
import { AnswerCache } from '../../services/fedora/answer-cache';
import { advisories, searchCarries } from '../../services/fedora/advisories';
import { buildServices } from '../../services/drafts/from-builds';
import type { Session } from '../session';

type AdvisoryCalls = 'advisories:list' | 'advisories:carries';

export function advisoryHandlers(s: Session): Pick<ApiHandlers, AdvisoryCalls> {
  const bodhi = (offline?: boolean) => buildServices({ settings: s.settings.read(), offline, cache: new AnswerCache(path.join(s.dataDir, 'cache')) }).bodhi;
  // Hidden streams stay hidden here too.
  const shown = async () => (await s.streams()).map((x) => x.name);
  return {
    'advisories:list': async (req) => advisories(s.requireRepo(), { ...bodhi(req?.offline), streams: await shown() }),
    'advisories:carries': async (req) => {
      const query = typeof req?.query === 'string' ? req.query.trim() : '';
      if (!query) throw new AppError('bad-input', 'give a CVE id, a Bodhi update ID or URL, or a source package', { field: 'query' });
      const r = await searchCarries(s.requireRepo(), query, { ...bodhi(req?.offline), streams: await shown() });
      return { query, ...r };
    },
  };
}
