/** A few 16 px line icons, drawn inline (no icon font, nothing fetched). Decorative: hidden from screen readers. */
import type { ReactElement } from 'react';

const PATHS = {
  repo: 'M3 2.5h8.5a1 1 0 0 1 1 1v9a1 1 0 0 1-1 1H4.5A1.5 1.5 0 0 1 3 12V2.5Zm0 9.5a1.5 1.5 0 0 1 1.5-1.5h8M6 5h3',
  clone: 'M8 2v8m0 0L5 7m3 3 3-3M3 11.5V13a.5.5 0 0 0 .5.5h9a.5.5 0 0 0 .5-.5v-1.5',
  folder: 'M2 4.5A1.5 1.5 0 0 1 3.5 3h2.6l1.4 1.5h5a1.5 1.5 0 0 1 1.5 1.5v5.5a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 2 11.5v-7Z',
  beaker: 'M6 2h4M6.5 2v4L3 12.5A1 1 0 0 0 3.9 14h8.2a1 1 0 0 0 .9-1.5L9.5 6V2M4.6 10h6.8',
  sync: 'M13 8a5 5 0 0 1-8.9 3.1M3 8a5 5 0 0 1 8.9-3.1M12 2v3h-3M4 14v-3h3',
  swap: 'M3 5.5h10m0 0L10.5 3M13 5.5 10.5 8M13 10.5H3m0 0L5.5 8M3 10.5 5.5 13',
  copy: 'M5.5 5.5V3a.5.5 0 0 1 .5-.5h7a.5.5 0 0 1 .5.5v7a.5.5 0 0 1-.5.5h-2.5M3 5.5h7a.5.5 0 0 1 .5.5v7a.5.5 0 0 1-.5.5H3a.5.5 0 0 1-.5-.5V6a.5.5 0 0 1 .5-.5Z',
  download: 'M8 2.5v7.5m0 0L5 7m3 3 3-3M2.5 13.5h11',
  search: 'M7 12A5 5 0 1 0 7 2a5 5 0 0 0 0 10Zm3.6-1.4L14 14',
  close: 'M4 4l8 8M12 4l-8 8',
  check: 'M3 8.5 6.5 12 13 4.5',
  alert: 'M8 2 1.5 13.5h13L8 2Zm0 4.5v3.5m0 1.8v.2',
  lock: 'M4 7.5h8a.5.5 0 0 1 .5.5v5a.5.5 0 0 1-.5.5H4a.5.5 0 0 1-.5-.5V8a.5.5 0 0 1 .5-.5Zm1.5 0V5a2.5 2.5 0 0 1 5 0v2.5',
  clock: 'M8 14A6 6 0 1 0 8 2a6 6 0 0 0 0 12Zm0-9v3.5l2.5 1.5',
  commit: 'M8 10.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5ZM1.5 8h4m5 0h4',
  arrowRight: 'M2.5 8h11m0 0L10 4.5M13.5 8 10 11.5',
  chevronDown: 'M4 6l4 4 4-4',
  chevronRight: 'M6 4l4 4-4 4',
  stream: 'M2 4h12M2 8h12M2 12h8',
  diff: 'M5.5 12.5a1.5 1.5 0 1 1-3 0 1.5 1.5 0 0 1 3 0ZM13.5 3.5a1.5 1.5 0 1 1-3 0 1.5 1.5 0 0 1 3 0ZM4 11V6.5a2 2 0 0 1 2-2h2.5m0 0L7 3m1.5 1.5L7 6M12 5v4.5a2 2 0 0 1-2 2H7.5m0 0L9 10m-1.5 1.5L9 13',
  history: 'M2.5 8a5.5 5.5 0 1 0 1.6-3.9M2.5 2.5v2.6h2.6M8 5v3.2l2 1.3',
  draft: 'M10.5 2.5l3 3-7.5 7.5H3v-3l7.5-7.5Z',
  edit: 'M2.5 3.5h11m-11 3h7m-7 3h11m-11 3h5',
  external: 'M9 2.5h4.5V7M13.5 2.5 7.5 8.5M11.5 9.5v3.5a.5.5 0 0 1-.5.5H3a.5.5 0 0 1-.5-.5V5a.5.5 0 0 1 .5-.5h3.5',
  info: 'M8 14A6 6 0 1 0 8 2a6 6 0 0 0 0 12Zm0-7v4.5M8 5v.2',
  filter: 'M2 3.5h12L9.5 9v4l-3-1.5V9L2 3.5Z',
  settings: 'M2.5 4.5h6m3 0h2M2.5 11.5h2m3 0h6M10 3v3M6 10v3',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 16, className }: { name: IconName; size?: number; className?: string }): ReactElement {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.4}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}

/** The app's mark: three lockfile rows moving in step. */
export function LogoMark({ size = 22 }: { size?: number }): ReactElement {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false" className="logo-mark">
      <rect x="1" y="1" width="22" height="22" rx="6" fill="var(--accent)" />
      <rect x="6" y="6.5" width="12" height="2.4" rx="1.2" fill="#fff" />
      <rect x="6" y="10.8" width="12" height="2.4" rx="1.2" fill="#fff" opacity="0.8" />
      <rect x="6" y="15.1" width="7.5" height="2.4" rx="1.2" fill="#fff" opacity="0.6" />
    </svg>
  );
}
