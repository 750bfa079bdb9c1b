import { Link } from "@remix-run/react";
import { DEFAULT_DIRECTION, type LetterSort, type QuestionSort, type SortDirection } from "~/domain/filters";

/**
 * A column header that sorts the list by its column: first in the column's natural direction,
 * then the other way. A plain link, so it works without JavaScript and leaves the sort in the URL.
 */
export function SortableHeader<S extends LetterSort | QuestionSort>({
  column,
  label,
  sort,
  dir,
  hrefFor,
  className,
}: {
  column: S;
  label: string;
  /** The list's current sort and direction. */
  sort: S;
  dir: SortDirection;
  hrefFor: (sort: S, dir: SortDirection) => string;
  className?: string;
}) {
  const active = sort === column;
  const next = active ? (dir === "asc" ? "desc" : "asc") : DEFAULT_DIRECTION[column];
  return (
    <th scope="col" className={className} aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined}>
      <Link to={hrefFor(column, next)}>
        {label}
        {active ? (dir === "asc" ? " ▲" : " ▼") : ""}
      </Link>
    </th>
  );
}
