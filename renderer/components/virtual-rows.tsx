/**
 * A table body that renders only the rows in view (plus a few either side): rows have one fixed
 * height, spacer rows stand for the rest, so thousands of rows cost what a screenful costs.
 */
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

const OVERSCAN = 8;

export function VirtualTable<T>({
  items,
  rowHeight,
  head,
  row,
  className,
  testid,
  label,
}: {
  items: readonly T[];
  rowHeight: number;
  head: ReactNode;
  row: (item: T, index: number) => ReactNode;
  className?: string;
  testid?: string;
  label: string;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(600);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setHeight(el.clientHeight || 600);
    const ro = new ResizeObserver(() => setHeight(el.clientHeight || 600));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // A new list starts at its top.
  useLayoutEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
    setTop(0);
  }, [items]);
  const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((top + height) / rowHeight) + OVERSCAN);
  const shown = items.slice(first, last);
  return (
    <div className={`virtual-scroll ${className ?? ''}`} ref={scroller} onScroll={(e) => setTop(e.currentTarget.scrollTop)} tabIndex={0} role="region" aria-label={label}>
      <table className="grid virtual" data-testid={testid} data-rows={items.length}>
        {head}
        <tbody>
          {first > 0 && <tr aria-hidden="true" style={{ height: first * rowHeight }} />}
          {shown.map((it, i) => row(it, first + i))}
          {last < items.length && <tr aria-hidden="true" style={{ height: (items.length - last) * rowHeight }} />}
        </tbody>
      </table>
    </div>
  );
}
