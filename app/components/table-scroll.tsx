import type { ReactNode } from "react";

/**
 * A table that may be wider than the screen scrolls sideways in this box. A box that scrolls must be
 * reachable and named for keyboard and screen-reader users (WCAG 2.1.1; axe's
 * scrollable-region-focusable): a focusable region, labelled by what the table holds.
 */
export function TableScroll({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div className={className ? `table-scroll ${className}` : "table-scroll"} tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
