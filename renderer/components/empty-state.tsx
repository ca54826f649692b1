/** What a pane shows when there is nothing (yet): an icon, a title, a line of help, an action. */
import type { ReactNode } from 'react';
import { Icon, type IconName } from './icons';

export function EmptyState({ icon, title, children, testid }: { icon: IconName; title: string; children?: ReactNode; testid?: string }) {
  return (
    <div className="empty-state" data-testid={testid}>
      <Icon name={icon} size={28} />
      <div className="empty-title">{title}</div>
      {children && <div className="empty-body">{children}</div>}
    </div>
  );
}

/** A placeholder while data loads: a few shimmering lines, so the layout does not jump. */
export function Skeleton({ lines = 6, label }: { lines?: number; label: string }) {
  return (
    <div className="skeleton" role="status" aria-label={label} data-testid="loading">
      <div className="skeleton-label">{label}</div>
      {Array.from({ length: lines }, (_x, i) => (
        <div key={i} className="skeleton-line" style={{ width: `${92 - ((i * 37) % 40)}%` }} />
      ))}
    </div>
  );
}
