/**
 * The fields the letter and question filter forms share: which letters (agency, committee, member,
 * topic, sent dates, text), and the form's end (as of, sort, Apply and Clear). Plain GET fields:
 * they work without JavaScript and leave every choice in the URL. Agency, committee, member and
 * topic are searchable pickers: the page sends only the labels of what is picked, never every choice.
 */
import { Link } from "@remix-run/react";
import type { SelectionFilters } from "~/domain/filters";
import { SELECTION_PICKERS, type SelectionPicks } from "~/domain/pickers";
import { Picker } from "./picker";

/** Agency, committee, member, topic, the sent dates and free text. */
export function SelectionFields({ filters, picks }: { filters: SelectionFilters; picks: SelectionPicks }) {
  return (
    <>
      {SELECTION_PICKERS.map(({ param, kind, label }) => {
        const pick = picks[param];
        const choices = pick?.choices ?? [];
        const picker = (
          <Picker
            // A new address (Clear, a link) brings new values: start the field afresh.
            key={`${param}:${pick?.value ?? ""}`}
            kind={kind}
            name={param}
            id={`filter-${param}`}
            label={label}
            value={pick?.value ?? ""}
            text={pick?.text ?? ""}
            errors={pick?.error ? [pick.error] : null}
            placeholder="Any"
            className="filter-picker"
          />
        );
        if (choices.length === 0) return picker;
        // A name that matches several: each one is a link that picks it (no JavaScript needed).
        return (
          <div key={param} className="filter-picker-choices">
            {picker}
            <nav aria-label={`${label}: choose one`} data-testid={`choices-${param}`}>
              <p className="small">Did you mean:</p>
              <ul className="small">
                {choices.map((choice) => (
                  <li key={choice.search}>
                    <Link to={choice.search}>{choice.label}</Link>
                    {choice.hint ? <span className="muted"> · {choice.hint}</span> : null}
                  </li>
                ))}
              </ul>
            </nav>
          </div>
        );
      })}
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
