import { useRouteLoaderData } from "@remix-run/react";
import { formatDate } from "~/domain/dates";
import { IMPLIED_DEADLINE_SHORT, impliedDeadlineLabel, type DeadlineSource } from "~/domain/vocabulary";

/** DEFAULT_RESPONSE_DAYS, as the root loader sends it (30 when the root's data is missing). */
export function useDefaultResponseDays(): number {
  return useRouteLoaderData<{ defaultResponseDays?: number }>("root")?.defaultResponseDays ?? 30;
}

/**
 * A letter's effective deadline wherever one is shown: the date, and for a letter that sets none
 * "no deadline set; due 30 days after sending by default" (implied deadlines, decision 0014).
 */
export function DeadlineText({
  date,
  source,
  none = "None set",
}: {
  date: string | null;
  source: DeadlineSource | null | undefined;
  /** What shows when there is no deadline at all (DEFAULT_RESPONSE_DAYS=0). */
  none?: string;
}) {
  const days = useDefaultResponseDays();
  if (!date) return <span className="muted">{none}</span>;
  if (source !== "implied") return <>{formatDate(date)}</>;
  // On paper a list's deadline column is narrow: the short form there keeps the date on one line.
  return (
    <>
      {formatDate(date)} <span className="muted small implied-long" data-testid="implied-deadline">{`(${impliedDeadlineLabel(days)})`}</span>
      <span className="muted small implied-short" aria-hidden="true">
        {` (${IMPLIED_DEADLINE_SHORT})`}
      </span>
    </>
  );
}
