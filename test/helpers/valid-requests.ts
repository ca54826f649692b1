/** A well-formed request for each call that takes one: the hosts type-check request fields before any handler runs. */
import type { ApiChannel } from '../../shared/api/contract';

const draft = { stream: 's', action: 'pin', requests: [] };

export const VALID_REQUESTS: Partial<Record<ApiChannel, Record<string, unknown>>> = {
  'repo:open': { dir: '/x' },
  'repo:clone': { url: 'https://x', operationId: 'o' },
  'repo:fetch': { operationId: 'o' },
  'op:cancel': { operationId: 'o' },
  'credentials:answer': { requestId: 'r', username: null, password: null, remember: false },
  'diff:refs': { from: 'a', to: 'b' },
  'review:otherFiles': { from: 'a', to: 'b' },
  'diff:markdown': { from: 'a', to: 'b' },
  'history:package': { name: 'n' },
  'history:commit': { commit: '0000000000000000000000000000000000000000' },
  'versions:list': { name: 'n' },
  'drafts:preview': draft,
  'drafts:save': draft,
  'drafts:discard': { branch: 'b' },
  'drafts:rebase': { branch: 'b' },
  'drafts:adopt': { branch: 'b' },
  'drafts:saveRaw': { stream: 's', files: {}, message: 'm' },
  'files:read': { ref: 'r' },
  'graduation:all': {},
  'graduation:draftAll': { streams: ['s'] },
  'drafts:push': { branch: 'b' },
  'drafts:pushInOrder': { branches: ['a', 'b'] },
  'drafts:info': { branch: 'b' },
  'queue:cancel': { branch: 'b' },
  'identity:set': { name: 'n', email: 'e@x' },
  'builds:resolve': { inputs: [] },
  'builds:preview': { inputs: [], streams: [], action: 'pin' },
  'builds:save': { inputs: [], streams: [], action: 'pin' },
  'builds:advice': { inputs: [], streams: [], action: 'pin' },
  'drafts:availability': { branch: 'b' },
  'advisories:list': {},
  'advisories:carries': { query: 'CVE-2026-0001' },
  'pool:check': { stream: 's', nevras: [] },
  'settings:set': {},
};

/** `extra` plus the fields `channel` needs. */
export const validRequest = (channel: ApiChannel, extra: Record<string, unknown> = {}) => ({ ...extra, ...(VALID_REQUESTS[channel] ?? {}) });
