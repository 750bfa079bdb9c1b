import type { ReactNode } from "react";
import { ClientOnly } from "./client-only";

/**
 * A chart as the server sends it: title, one-line reading and the numbers (a table) are plain HTML,
 * readable without JavaScript, by screen readers and on paper. The drawing hydrates into a box of
 * fixed height, so nothing moves when it appears; it is hidden from screen readers, which get the
 * table instead.
 */
export function ChartFigure({
  id,
  title,
  reading,
  chart,
  children,
  height = 260,
  wide = false,
}: {
  id: string;
  title: string;
  reading: ReactNode;
  /** The drawing; null when there is nothing to draw (the reading says why), so no empty box. */
  chart: (() => ReactNode) | null;
  /** The numbers: a table. */
  children: ReactNode;
  height?: number;
  /** Spans the whole grid row, for wide tables. */
  wide?: boolean;
}) {
  return (
    <figure className={wide ? "chart-figure wide" : "chart-figure"} aria-labelledby={`${id}-title`} data-testid={`chart-${id}`}>
      <h3 id={`${id}-title`}>{title}</h3>
      <figcaption className="chart-reading">{reading}</figcaption>
      {chart ? (
        // The drawing repeats the table below it: hidden from screen readers, and `inert` so that
        // nothing in it (recharts makes its surface focusable) takes the keyboard focus either.
        <div className="chart-box" style={{ height }} aria-hidden="true" data-chart={id} {...{ inert: "" }}>
          <ClientOnly>{chart}</ClientOnly>
        </div>
      ) : null}
      {/* A scrolling table is a region the keyboard can reach and scroll. */}
      <div className="table-scroll chart-numbers" tabIndex={0} role="region" aria-label={`${title}: the numbers`}>
        {children}
      </div>
    </figure>
  );
}
