/** The Content-Security-Policy both hosts give the UI: nothing but the app's own files. */
export function contentSecurityPolicy(connect: string[] = []): string {
  return directives(connect).join('; ');
}

function directives(connect: string[]): string[] {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    `connect-src 'self'${connect.map((c) => ` ${c}`).join('')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ];
}

/**
 * The same policy for a `<meta http-equiv>` tag in the built `index.html`: Electron does not
 * apply response headers to `file://` loads everywhere, a meta tag always applies. A meta tag
 * cannot carry `frame-ancestors` (browsers ignore it there and warn), so it is left out; the
 * header still sends it. The browser host puts its own header policy into the tag it serves.
 */
export function metaContentSecurityPolicy(connect: string[] = []): string {
  return directives(connect)
    .filter((d) => !d.startsWith('frame-ancestors'))
    .join('; ');
}

/** The `<meta>` tag of a policy, as it goes in `<head>`. */
export function cspMetaTag(policy: string): string {
  return `<meta http-equiv="Content-Security-Policy" content="${policy.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" />`;
}

/** Matches the CSP meta tag of a built page (to replace it). */
export const CSP_META_RE = /<meta\s+http-equiv="Content-Security-Policy"\s+content="[^"]*"\s*\/?>/i;
