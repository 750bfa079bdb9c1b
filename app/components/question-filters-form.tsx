import { Form, Link } from "@remix-run/react";
import { QUESTION_KINDS, QUESTION_SORT_LABELS, QUESTION_SORTS, QUESTION_STATUSES, type QuestionFilters } from "~/domain/filters";
import type { FilterOption } from "~/models/letters.server";

export const QUESTION_STATUS_LABELS: Record<string, string> = {
  open: "Open",
  partial: "Partly answered",
  refused: "Refused",
  answered: "Answered",
};

export const QUESTION_KIND_LABELS: Record<string, string> = {
  question: "Question",
  document_request: "Document request",
  briefing_request: "Briefing request",
  testimony: "Testimony",
};

/**
 * The question filters as a plain GET form: works without JavaScript and leaves every choice in the
 * URL. The same parameters drive /questions and /briefing (`action` picks which).
 */
export function QuestionFiltersForm({
  filters,
  options,
  action,
  label = "Filter questions",
}: {
  filters: QuestionFilters;
  options: { agencies: FilterOption[]; committees: FilterOption[]; members: FilterOption[]; tags: FilterOption[] };
  action: string;
  label?: string;
}) {
  const select = (name: "agency" | "committee" | "member" | "tag", text: string, choices: FilterOption[]) => (
    <label>
      {text}
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
  // One status or all: the form offers single choices; the URL accepts several.
  const status = filters.statuses.length === 0 ? "all" : filters.statuses.length === 1 ? filters.statuses[0] : "";
  return (
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
      {select("agency", "Agency", options.agencies)}
      {select("committee", "Committee", options.committees)}
      {select("member", "Member", options.members)}
      {select("tag", "Topic", options.tags)}
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
      <label>
        As of
        <input type="date" name="asOf" defaultValue={filters.asOf ?? ""} />
      </label>
      <label>
        Sort by
        <select name="sort" defaultValue={filters.sort}>
          {QUESTION_SORTS.map((sort) => (
            <option key={sort} value={sort}>
              {QUESTION_SORT_LABELS[sort]}
            </option>
          ))}
        </select>
      </label>
      <div className="filter-actions">
        <button type="submit">Apply</button>
        <Link to={action}>Clear</Link>
      </div>
    </Form>
  );
}
