import { Link, useLocation } from "@remix-run/react";
import { formatDate } from "~/domain/dates";

/** Says plainly when a page shows the state of play on a past (or future) date. */
export function AsOfBanner({ asOf, today }: { asOf: string; today: string }) {
  const location = useLocation();
  if (asOf === today) return null;
  const params = new URLSearchParams(location.search);
  params.delete("asOf");
  params.delete("page");
  const search = params.toString();
  return (
    <p className="as-of-banner" role="status">
      Showing the state of play on <strong>{formatDate(asOf)}</strong>
      {asOf < today ? ": later letters, responses and extensions are left out." : "."}{" "}
      <Link to={`${location.pathname}${search ? `?${search}` : ""}`}>Show today instead</Link>
    </p>
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
