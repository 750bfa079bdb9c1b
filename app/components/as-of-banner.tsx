import { Link, useLocation } from "@remix-run/react";
import { formatDate } from "~/domain/dates";

/**
 * Says plainly when a page shows the state of play on a past (or future) date, and when its
 * figures were computed before the latest change (app/models/figure-store.server.ts).
 */
export function AsOfBanner({
  asOf,
  today,
  figuresComputedAt = null,
}: {
  asOf: string;
  today: string;
  figuresComputedAt?: number | null;
}) {
  const location = useLocation();
  const stale =
    figuresComputedAt === null ? null : (
      <p className="as-of-banner" role="status" data-testid="stale-figures">
        Figures as computed at {new Date(figuresComputedAt).toISOString().slice(11, 19)} UTC, before the latest
        change; newer figures are being computed. <Link to={`${location.pathname}${location.search}`}>Reload</Link>
      </p>
    );
  if (asOf === today) return stale;
  const params = new URLSearchParams(location.search);
  params.delete("asOf");
  params.delete("page");
  const search = params.toString();
  return (
    <>
    {stale}
    <p className="as-of-banner" role="status">
      Showing the state of play on <strong>{formatDate(asOf)}</strong>
      {asOf < today ? ": later letters, responses and extensions are left out." : "."}{" "}
      <Link to={`${location.pathname}${search ? `?${search}` : ""}`}>Show today instead</Link>
    </p>
    </>
  );
}

export function ProblemsNotice({ problems }: { problems: string[] }) {
  if (problems.length === 0) return null;
  return (
    <div className="notice" role="alert">
      <p>Some parts of this address were ignored:</p>
      <ul>
        {problems.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
    </div>
  );
}
