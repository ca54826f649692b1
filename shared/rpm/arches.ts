/** The architectures of the reference repo's lockfiles, in the order every view lists them. */
export const LOCK_ARCHES = ['x86_64', 'aarch64', 'ppc64le', 's390x'] as const;

/** Tokens that end a NEVRA as its arch (`.noarch`, `.x86_64`...); anything else is part of the release. */
export const KNOWN_ARCHES: readonly string[] = ['noarch', 'src', ...LOCK_ARCHES, 'i686', 'armv7hl'];
