/**
 * The wire types of every call's request fields, checked before a handler runs. A client that is
 * not our renderer may send anything: a field of the wrong type is refused as bad input naming
 * the field (`data.malformed`, which the browser host answers with HTTP 400) instead of failing
 * deep in a handler as an internal error. Values of the right type (an empty name, an unknown
 * stream) are still judged by the handlers, with their own messages. The table is checked
 * against the contract: a field added to a request type and missing here fails the build.
 */
import type { ApiChannel, ApiRequest } from '../../shared/api/contract';
import { AppError } from '../../shared/errors';

type Kind = 'string' | 'string?' | 'string|null' | 'boolean' | 'boolean?' | 'strings' | 'strings?' | 'number?' | 'object?' | 'texts' | 'requests' | 'list?';

/** Calls whose request is `void` in the contract: whatever a client sends them is ignored. */
type VoidChannel = { [K in ApiChannel]: [ApiRequest<K>] extends [void] ? K : never }[ApiChannel];
const VOID_LIST = ['app:info', 'repo:current', 'repo:recent', 'repo:close', 'repo:demo', 'streams:list', 'refs:list', 'drafts:list', 'overrides:board', 'identity:get', 'queue:retry', 'settings:get', 'forge:tokenStatus'] as const satisfies readonly VoidChannel[];
const voidComplete: Exclude<VoidChannel, (typeof VOID_LIST)[number]> extends never ? true : never = true;
void voidComplete;
const VOID_CHANNELS: ReadonlySet<string> = new Set<string>(VOID_LIST);

type FieldTable = { [K in Exclude<ApiChannel, VoidChannel>]: { [F in keyof ApiRequest<K>]-?: Kind } };

const draftFields = {
  stream: 'string',
  action: 'string',
  requests: 'requests',
  reason: 'string?',
  bodhi: 'string?',
  arch: 'string?',
  message: 'string?',
  signoff: 'boolean?',
  note: 'string?',
  branch: 'string?',
  builds: 'list?',
  ownSources: 'strings?',
  base: 'string?',
  keepReason: 'boolean?',
} as const;

const buildFields = { inputs: 'strings', streams: 'strings', action: 'string', reason: 'string?', ignoreDistMismatch: 'boolean?', message: 'string?', signoff: 'boolean?', bases: 'object?' } as const;

const FIELDS: FieldTable = {
  'repo:open': { dir: 'string' },
  'repo:clone': { url: 'string', dir: 'string?', operationId: 'string' },
  'repo:fetch': { operationId: 'string' },
  'op:cancel': { operationId: 'string' },
  'credentials:answer': { requestId: 'string', username: 'string|null', password: 'string|null', remember: 'boolean' },
  'diff:refs': { from: 'string', to: 'string', arches: 'strings?', overrides: 'boolean?' },
  'diff:markdown': { from: 'string', to: 'string', arches: 'strings?', overrides: 'boolean?' },
  'review:otherFiles': { from: 'string', to: 'string' },
  'history:package': { name: 'string', streams: 'strings?', arch: 'string?' },
  'history:commit': { commit: 'string' },
  'versions:list': { name: 'string' },
  'drafts:preview': draftFields,
  'drafts:save': draftFields,
  'drafts:discard': { branch: 'string', deleteRemote: 'boolean?' },
  'drafts:rebase': { branch: 'string', redraft: 'boolean?', at: 'string?' },
  'drafts:adopt': { branch: 'string' },
  'drafts:saveRaw': { stream: 'string', base: 'string?', files: 'texts', message: 'string', signoff: 'boolean?' },
  'files:read': { ref: 'string' },
  'graduation:all': { offline: 'boolean?' },
  'graduation:draftAll': { streams: 'strings?' },
  'drafts:push': { branch: 'string', remoteBranch: 'string?' },
  'drafts:pushInOrder': { branches: 'strings' },
  'drafts:info': { branch: 'string' },
  'queue:cancel': { branch: 'string' },
  'identity:set': { name: 'string', email: 'string', scope: 'string?' },
  'builds:resolve': { inputs: 'strings' },
  'builds:preview': buildFields,
  'builds:save': buildFields,
  'builds:advice': { inputs: 'strings', streams: 'strings', action: 'string' },
  'drafts:availability': { branch: 'string', offline: 'boolean?' },
  'pool:check': { stream: 'string', nevras: 'list?', offline: 'boolean?' },
  'advisories:list': { offline: 'boolean?' },
  'advisories:carries': { query: 'string', offline: 'boolean?' },
  'promotion:view': { source: 'string', target: 'string' },
  'promotion:draft': { source: 'string', target: 'string', at: 'string?' },
  'settings:set': {
    upstream: 'string?',
    pushRemote: 'string?',
    pushConcurrency: 'number?',
    streams: 'object?',
    graduationRepos: 'strings?',
    buildPoolRepos: 'strings?',
    bodhiUrl: 'string?',
    kojiUrl: 'string?',
    fcosOwnPackages: 'strings?',
  },
  'forge:setToken': { token: 'string?' },
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const WANT: Record<Kind, string> = {
  string: 'a string',
  'string?': 'a string',
  'string|null': 'a string or null',
  boolean: 'true or false',
  'boolean?': 'true or false',
  strings: 'a list of strings',
  'strings?': 'a list of strings',
  'number?': 'a number',
  'object?': 'an object',
  texts: 'an object of file name -> text',
  requests: 'a list of {name, evr} objects',
  'list?': 'a list',
};

function fits(kind: Kind, v: unknown): boolean {
  if (v === undefined) return kind.endsWith('?');
  switch (kind) {
    case 'string':
    case 'string?':
      return typeof v === 'string';
    case 'string|null':
      return v === null || typeof v === 'string';
    case 'boolean':
    case 'boolean?':
      return typeof v === 'boolean';
    case 'strings':
    case 'strings?':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'number?':
      return typeof v === 'number' && Number.isFinite(v);
    case 'object?':
      return isObject(v);
    case 'texts':
      return isObject(v) && Object.values(v).every((x) => typeof x === 'string');
    case 'requests':
      return Array.isArray(v) && v.every((r) => isObject(r) && typeof r.name === 'string' && (r.evr === undefined || typeof r.evr === 'string'));
    case 'list?':
      return Array.isArray(v);
  }
}

const malformed = (channel: string, field: string, message: string) => new AppError('bad-input', `${channel}: ${message}`, { field, malformed: true });

/** Refuses a request whose shape or field types do not match the contract, naming the field. */
export function checkRequestFields(channel: ApiChannel, req: unknown): void {
  if (VOID_CHANNELS.has(channel)) return;
  if (!isObject(req)) {
    const got = req === null ? 'null' : Array.isArray(req) ? 'a list' : req === undefined ? 'nothing' : `a ${typeof req}`;
    throw malformed(channel, 'req', `the request must be an object with the call's fields, not ${got}`);
  }
  const fields = (FIELDS as Record<string, Record<string, Kind>>)[channel];
  for (const [field, kind] of Object.entries(fields)) {
    const v = Object.hasOwn(req, field) ? req[field] : undefined;
    if (!fits(kind, v)) throw malformed(channel, field, v === undefined ? `${field} is missing; it must be ${WANT[kind]}` : `${field} must be ${WANT[kind]}`);
  }
}
