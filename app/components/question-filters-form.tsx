import { Form } from "@remix-run/react";
import { activeFilterCount, QUESTION_SORT_LABELS, QUESTION_SORTS, type QuestionFilters } from "~/domain/filters";
import { QUESTION_KIND_LABELS, QUESTION_KINDS, QUESTION_STATUS_LABELS, QUESTION_STATUSES } from "~/domain/vocabulary";
import type { SelectionPicks } from "~/domain/pickers";
import { FilterFormEnd, SelectionFields } from "./filter-fields";
import { FilterFold } from "./filter-fold";

/**
 * The question filters as a plain GET form: works without JavaScript and leaves every choice in the
 * URL. The same parameters drive /questions and /briefing (`action` picks which).
 */
export function QuestionFiltersForm({
  filters,
  picks,
  action,
  label = "Filter questions",
}: {
  filters: QuestionFilters;
  picks: SelectionPicks;
  action: string;
  label?: string;
}) {
  // One status or all: the form offers single choices; the URL accepts several.
  const status = filters.statuses.length === 0 ? "all" : filters.statuses.length === 1 ? filters.statuses[0] : "";
  return (
    <FilterFold active={activeFilterCount(filters, ["open"])}>
      <Form method="get" action={action} className="filters" aria-label={label}>
        <label>
          Status
          <select name="status" defaultValue={status}>
            {status === "" ? <option value={filters.statuses.join(",")}>{filters.statuses.map((s) => QUESTION_STATUS_LABELS[s]).join(", ")}</option> : null}
            {QUESTION_STATUSES.map((value) => (
              <option key={value} value={value}>
                {QUESTION_STATUS_LABELS[value]}
              </option>
            ))}
            <option value="all">Any status</option>
          </select>
        </label>
        <SelectionFields filters={filters} picks={picks} />
        <label>
          Kind
          <select name="kind" defaultValue={filters.kinds.length === 1 ? filters.kinds[0] : ""}>
            <option value="">Any</option>
            {QUESTION_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {QUESTION_KIND_LABELS[kind]}
              </option>
            ))}
          </select>
        </label>
        <FilterFormEnd asOf={filters.asOf} sort={filters.sort} sorts={QUESTION_SORTS} sortLabels={QUESTION_SORT_LABELS} clearTo={action} />
      </Form>
    </FilterFold>
  );
}
