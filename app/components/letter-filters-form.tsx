import { Form } from "@remix-run/react";
import { activeFilterCount, LETTER_SORT_LABELS, LETTER_SORTS, type LetterFilters } from "~/domain/filters";
import { LETTER_STATUS_LABELS, LETTER_STATUSES } from "~/domain/vocabulary";
import type { SelectionPicks } from "~/domain/pickers";
import { FilterFormEnd, SelectionFields } from "./filter-fields";
import { FilterFold } from "./filter-fold";

/** A plain GET form: works without JavaScript and leaves every choice in the URL. */
export function LetterFiltersForm({ filters, picks }: { filters: LetterFilters; picks: SelectionPicks }) {
  return (
    <FilterFold active={activeFilterCount(filters)}>
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
        <SelectionFields filters={filters} picks={picks} />
        <FilterFormEnd asOf={filters.asOf} sort={filters.sort} sorts={LETTER_SORTS} sortLabels={LETTER_SORT_LABELS} clearTo="/letters" />
      </Form>
    </FilterFold>
  );
}
