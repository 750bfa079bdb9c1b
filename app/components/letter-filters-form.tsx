import { Form, Link } from "@remix-run/react";
import {
  LETTER_SORT_LABELS,
  LETTER_SORTS,
  type LetterFilters,
} from "~/domain/filters";
import { LETTER_STATUS_LABELS, LETTER_STATUSES } from "~/domain/status";
import type { FilterOption } from "~/models/letters.server";

/** A plain GET form: works without JavaScript and leaves every choice in the URL. */
export function LetterFiltersForm({
  filters,
  options,
}: {
  filters: LetterFilters;
  options: { agencies: FilterOption[]; committees: FilterOption[]; members: FilterOption[]; tags: FilterOption[] };
}) {
  const select = (
    name: "agency" | "committee" | "member" | "tag",
    label: string,
    choices: FilterOption[],
  ) => (
    <label>
      {label}
      <select name={name} defaultValue={filters[name] ?? ""}>
        <option value="">Any</option>
        {choices.map((choice) => (
          <option key={choice.slug} value={choice.slug}>
            {choice.name}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <Form method="get" className="filters" aria-label="Filter letters">
      <label>
        Status
        <select name="status" defaultValue={filters.statuses[0] ?? ""}>
          <option value="">Any</option>
          {LETTER_STATUSES.map((status) => (
            <option key={status} value={status}>
              {LETTER_STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      </label>
      {select("agency", "Agency", options.agencies)}
      {select("committee", "Committee", options.committees)}
      {select("member", "Member", options.members)}
      {select("tag", "Topic", options.tags)}
      <label>
        As of
        <input type="date" name="asOf" defaultValue={filters.asOf ?? ""} />
      </label>
      <label>
        Sort by
        <select name="sort" defaultValue={filters.sort}>
          {LETTER_SORTS.map((sort) => (
            <option key={sort} value={sort}>
              {LETTER_SORT_LABELS[sort]}
            </option>
          ))}
        </select>
      </label>
      <div className="filter-actions">
        <button type="submit">Apply</button>
        <Link to="/letters">Clear</Link>
      </div>
    </Form>
  );
}
