/** Handlers of promotions: the promotion view and "Draft promotion" (the same service `lockstep promote` calls). */
import type { ApiHandlers } from '../../../shared/api/contract';
import { AppError } from '../../../shared/errors';
import { draftPromotion, promotionView } from '../../services/promotion/promote';
import type { Session } from '../session';

type PromotionCalls = 'promotion:view' | 'promotion:draft';

const stream = (v: unknown, field: string): string => {
  if (typeof v !== 'string' || !v.trim()) throw new AppError('bad-input', `${field} must be a stream name`, { field });
  return v.trim();
};

export function promotionHandlers(s: Session): Pick<ApiHandlers, PromotionCalls> {
  return {
    'promotion:view': async (req) => promotionView(s.requireRepo(), stream(req?.source, 'source'), stream(req?.target, 'target')),
    'promotion:draft': async (req) => {
      const r = await draftPromotion(s.requireRepo(), { source: stream(req?.source, 'source'), target: stream(req?.target, 'target'), at: req.at });
      return r.draft!;
    },
  };
}
