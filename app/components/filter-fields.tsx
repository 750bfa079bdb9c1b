/**
 * The fields the letter and question filter forms share: which letters (agency, committee, member,
 * topic, sent dates, text), and the form's end (as of, sort, Apply and Clear). Plain GET fields:
 * they work without JavaScript and leave every choice in the URL.
 */
import { Link } from "@remix-run/react";
import type { SelectionFilters } from "~/domain/filters";
import type { FilterOption } from "~/models/letters.server";

export interface SelectionOptions {
  agencies: FilterOption[];
  committees: FilterOption[];
  members: FilterOption[];
  tags: FilterOption[];
}

function Choice({ name, label, value, choices }: { name: string; label: string; value: string | null; choices: FilterOption[] }) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value ?? ""}>
        <option value="">Any</option>
        {choices.map((choice) => (
          <option key={choice.slug} value={choice.slug}>
            {choice.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Agency, committee, member, topic, the sent dates and free text. */
export function SelectionFields({ filters, options }: { filters: SelectionFilters; options: SelectionOptions }) {
  return (
    <>
      <Choice name="agency" label="Agency" value={filters.agency} choices={options.agencies} />
      <Choice name="committee" label="Committee" value={filters.committee} choices={options.committees} />
      <Choice name="member" label="Member" value={filters.member} choices={options.members} />
      <Choice name="tag" label="Topic" value={filters.tag} choices={options.tags} />
      <label>
        Sent from
        <input type="date" name="sentFrom" defaultValue={filters.sentFrom ?? ""} />
      </label>
      <label>
        Sent to
        <input type="date" name="sentTo" defaultValue={filters.sentTo ?? ""} />
      </label>
      <label>
        Text
        <input type="search" name="q" defaultValue={filters.q ?? ""} maxLength={200} />
      </label>
    </>
  );
}

/** As of, Sort by, then Apply and a Clear link back to `clearTo`. */
export function FilterFormEnd<Sort extends string>({
  asOf,
  sort,
  sorts,
  sortLabels,
  clearTo,
}: {
  asOf: string | null;
  sort: Sort;
  sorts: readonly Sort[];
  sortLabels: Record<Sort, string>;
  clearTo: string;
}) {
  return (
    <>
      <label>
        As of
        <input type="date" name="asOf" defaultValue={asOf ?? ""} />
      </label>
      <label>
        Sort by
        <select name="sort" defaultValue={sort}>
          {sorts.map((value) => (
            <option key={value} value={value}>
              {sortLabels[value]}
            </option>
          ))}
        </select>
      </label>
      <div className="filter-actions">
        <button type="submit">Apply</button>
        <Link to={clearTo}>Clear</Link>
      </div>
    </>
  );
}
