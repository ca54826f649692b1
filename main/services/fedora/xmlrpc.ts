/**
 * A strict XML-RPC client for Koji's hub: the call goes through the capped, deadline-bound
 * request of http.ts, and the answer is read with a SAX parser (saxes) that refuses what the
 * spec does not allow instead of guessing: `<int>1e+23</int>` is an error, not 1 (the `xmlrpc`
 * package parsed integers with parseInt), an unknown element is an error, not ignored.
 * (XML-RPC: http://xmlrpc.com/spec.md; Python's xmlrpc.client adds `<nil/>` and `<i8>`,
 * which Koji's hub uses with allow_none.)
 */
import { SaxesParser } from 'saxes';
import { AppError } from '../../../shared/errors';
import { getCapped, LIMITS } from './http';

/** An XML-RPC fault answer (Koji's GenericError is faultCode 1000). */
export class XmlRpcFault extends Error {
  constructor(
    readonly faultCode: number,
    readonly faultString: string,
  ) {
    super(faultString);
  }
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function encodeValue(v: unknown): string {
  if (typeof v === 'string') return `<value><string>${esc(v)}</string></value>`;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return `<value><int>${v}</int></value>`;
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
  if (v === null) return '<value><nil/></value>';
  throw new AppError('internal', `cannot send ${typeof v} over XML-RPC`);
}

/** The request body of a call. */
export function methodCallXml(method: string, params: readonly unknown[]): string {
  return `<?xml version="1.0"?>\n<methodCall><methodName>${esc(method)}</methodName><params>${params.map((p) => `<param>${encodeValue(p)}</param>`).join('')}</params></methodCall>\n`;
}

type Frame = { kind: 'value'; value?: unknown; text: string; typed: boolean } | { kind: 'array'; items: unknown[] } | { kind: 'struct'; members: Record<string, unknown>; name: string | null } | { kind: 'scalar'; type: string; text: string } | { kind: 'name'; text: string } | { kind: 'other'; name: string };

const SCALARS = new Set(['int', 'i4', 'i8', 'boolean', 'string', 'double', 'dateTime.iso8601', 'base64', 'nil']);
const STRUCTURE = new Set(['methodResponse', 'params', 'param', 'fault', 'data', 'member']);

function scalar(type: string, text: string): unknown {
  switch (type) {
    case 'int':
    case 'i4':
    case 'i8': {
      const t = text.trim();
      if (!/^[+-]?\d+$/.test(t)) throw new Error(`<${type}>${t.slice(0, 40)}</${type}> is not an integer`);
      const n = Number(t);
      if (!Number.isSafeInteger(n)) throw new Error(`<${type}>${t.slice(0, 40)}</${type}> is too large`);
      return n;
    }
    case 'boolean':
      if (text.trim() !== '0' && text.trim() !== '1') throw new Error(`<boolean>${text.slice(0, 40)}</boolean> is not 0 or 1`);
      return text.trim() === '1';
    case 'double': {
      const n = Number(text.trim());
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim()) || !Number.isFinite(n)) throw new Error(`<double>${text.slice(0, 40)}</double> is not a number`);
      return n;
    }
    case 'nil':
      return null;
    default:
      return text;
  }
}

/** Reads a methodResponse: its one value, or throws the fault it carries. Anything malformed is an Error. */
export function parseMethodResponse(xml: string): unknown {
  const parser = new SaxesParser();
  const stack: Frame[] = [];
  let result: { value: unknown } | null = null;
  let isFault = false;
  let root: string | null = null;
  // `<member>` and `<data>` only wrap: a value or name inside belongs to the struct or array below.
  const container = (): Frame | undefined => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const f = stack[i];
      if (f.kind === 'other' && (f.name === 'member' || f.name === 'data')) continue;
      return f;
    }
    return undefined;
  };
  const deliver = (v: unknown) => {
    const top = container();
    if (!top) return;
    if (top.kind === 'array') top.items.push(v);
    else if (top.kind === 'struct') {
      if (top.name === null) throw new Error('a struct member without a name');
      top.members[top.name] = v;
      top.name = null;
    } else if (top.kind === 'value') top.value = v;
  };
  parser.on('opentag', (tag) => {
    const n = tag.name;
    root ??= n;
    if (root !== 'methodResponse') throw new Error(`<${root}> is not an XML-RPC answer`);
    if (n === 'value') stack.push({ kind: 'value', text: '', typed: false });
    else if (n === 'array') stack.push({ kind: 'array', items: [] });
    else if (n === 'struct') stack.push({ kind: 'struct', members: Object.create(null) as Record<string, unknown>, name: null });
    else if (n === 'name') stack.push({ kind: 'name', text: '' });
    else if (SCALARS.has(n)) stack.push({ kind: 'scalar', type: n, text: '' });
    else if (STRUCTURE.has(n)) {
      if (n === 'fault') isFault = true;
      stack.push({ kind: 'other', name: n });
    } else throw new Error(`unexpected element <${n}>`);
    const parent = stack[stack.length - 2];
    if (parent?.kind === 'value' && n !== 'value') parent.typed = true;
  });
  parser.on('text', (t) => {
    const top = stack[stack.length - 1];
    if (top && (top.kind === 'scalar' || top.kind === 'name' || top.kind === 'value')) top.text += t;
  });
  parser.on('cdata', (t) => {
    const top = stack[stack.length - 1];
    if (top && (top.kind === 'scalar' || top.kind === 'value')) top.text += t;
  });
  parser.on('closetag', () => {
    const f = stack.pop()!;
    const top = stack[stack.length - 1];
    if (f.kind === 'scalar') {
      if (top?.kind === 'value') top.value = scalar(f.type, f.text);
    } else if (f.kind === 'name') {
      const st = container();
      if (st?.kind === 'struct') st.name = f.text;
      else throw new Error('a name out of place');
    } else if (f.kind === 'array') {
      if (top?.kind === 'value') top.value = f.items;
    } else if (f.kind === 'struct') {
      if (top?.kind === 'value') top.value = f.members;
    } else if (f.kind === 'value') {
      // An untyped value is a string (XML-RPC spec).
      const v = f.typed ? f.value : f.text;
      const c = container();
      if (c && (c.kind === 'array' || c.kind === 'struct')) deliver(v);
      else if (top?.kind === 'other' && (top.name === 'param' || top.name === 'fault')) {
        if (result) throw new Error('more than one value');
        result = { value: v };
      } else throw new Error('a value out of place');
    }
  });
  parser.write(xml).close();
  if (!result) throw new Error('no value');
  const value = (result as { value: unknown }).value;
  if (isFault) {
    const f = value as { faultCode?: unknown; faultString?: unknown } | null;
    throw new XmlRpcFault(typeof f?.faultCode === 'number' ? f.faultCode : 0, typeof f?.faultString === 'string' ? f.faultString : 'fault');
  }
  return value;
}

/** One call to a hub, within `deadline` (ms since epoch); a malformed answer is a network error naming `service`. */
export async function xmlrpcCall(hubUrl: string, method: string, params: readonly unknown[], opts: { service: string; deadline: number }): Promise<unknown> {
  const got = await getCapped(hubUrl, { service: opts.service, deadline: opts.deadline, maxBytes: LIMITS.jsonBytes, accept: 'text/xml', post: { body: methodCallXml(method, params), contentType: 'text/xml' } });
  if (got.status !== 200) throw new AppError('network', `${opts.service} (${hubUrl}) answered HTTP ${got.status} to ${method}`, { service: opts.service });
  try {
    return parseMethodResponse(got.body.toString('utf8'));
  } catch (err) {
    if (err instanceof XmlRpcFault) throw err;
    throw new AppError('network', `${opts.service} (${hubUrl}) answered ${method} with something that is not a valid XML-RPC answer (${(err as Error).message})`, { service: opts.service });
  }
}
