/**
 * The read API's JSON: stable snake_case field names (documented in README.md, "Read API"), built
 * from the same queries as the pages.
 */
import type { DocumentListItem } from "./documents.server";
import { sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import { factDateText } from "~/domain/approximate-date";
import type { CalendarDate } from "~/domain/dates";
import type { LetterFilters } from "~/domain/filters";
import type { LetterDetail, LetterListItem } from "./letters.server";
import { letterStatusSql, openLetterStatusesSql, stateAsOf } from "./letter-state.server";
import { letterWhereSql } from "./letters.server";
import type { QuestionListItem } from "./questions.server";
import { rate, type Rate } from "~/domain/statistics";
import { agencyFigures } from "./dashboard.server";

type Agency = { slug: string; name: string; acronym: string | null };

export function letterSummaryJson(letter: LetterListItem) {
  return {
    slug: letter.slug,
    title: letter.title,
    sent_on: letter.sentOn,
    chamber: letter.chamber,
    committee: letter.committee,
    status: letter.status,
    deadline: letter.deadline,
    effective_deadline: letter.effectiveDeadline,
    deadline_source: letter.deadlineSource,
    days_outstanding: letter.daysOutstanding,
    response_days: letter.responseDays,
    questions_total: letter.questionsTotal,
    questions_open: letter.questionsOpen,
    agencies: letter.agencies.map(agencyJson),
    url: `/letters/${letter.slug}`,
  };
}

function agencyJson(agency: Agency) {
  return { slug: agency.slug, name: agency.name, acronym: agency.acronym };
}

/** One letter; staff-only internal notes are left out. */
export function letterDetailJson(letter: LetterDetail) {
  return {
    slug: letter.slug,
    title: letter.title,
    sent_on: letter.sentOn,
    chamber: letter.chamber,
    committee: letter.committee?.slug ? { slug: letter.committee.slug, name: letter.committee.name } : null,
    status: letter.status,
    deadline: letter.deadline,
    effective_deadline: letter.effectiveDeadline,
    deadline_source: letter.deadlineSource,
    days_outstanding: letter.daysOutstanding,
    response_days: letter.responseDays,
    days_overdue: letter.daysOverdue,
    summary: letter.summary,
    notes: letter.notes,
    source_url: letter.sourceUrl,
    closed_on: letter.closedOn,
    closed_reason: letter.closedReason,
    follows_up: letter.followsUp?.slug ?? null,
    follow_ups: letter.followUps.map((entry) => entry.slug),
    senders: letter.senders.map((sender) => ({
      slug: sender.slug,
      name: sender.name,
      party: sender.party,
      state: sender.state,
      chamber: sender.chamber,
      role: sender.role,
      is_lead: sender.isLead,
    })),
    recipients: letter.recipients.map((recipient) => ({
      name: recipient.name,
      title: recipient.title,
      agency: agencyJson(recipient.agency),
    })),
    tags: letter.tags.map((tag) => tag.slug),
    questions: letter.questions.map((question) => ({
      number: question.number,
      kind: question.kind,
      text: question.text,
      status: question.status,
      // Decision 0023: the earlier question it asks again, and the later ask of it (by asOf).
      repeats: question.repeats ? { letter: question.repeats.letterSlug, number: question.repeats.number } : null,
      repeated_by: question.repeatedBy ? { letter: question.repeatedBy.letterSlug, number: question.repeatedBy.number } : null,
    })),
    responses: letter.responses.map((response) => ({
      // `YYYY-MM` when the record gives only the month (counted as received on its last day).
      received_on: factDateText(response.receivedOn, response.receivedPrecision),
      received_precision: response.receivedPrecision,
      from: response.from,
      completeness: response.completeness,
      summary: response.summary,
      source_url: response.sourceUrl,
      notes: response.notes,
      documents: response.documents.map(documentJson),
    })),
    documents: letter.documents.map(documentJson),
    deadline_changes: letter.deadlineChanges.map((change) => ({
      new_deadline: change.newDeadline,
      granted_on: change.grantedOn,
      reason: change.reason,
    })),
    as_of: letter.asOf,
    url: `/letters/${letter.slug}`,
  };
}

/** A stored document of a letter or response: its hash, name, type, size, pages and download address. */
export function documentJson(document: DocumentListItem) {
  return {
    sha256: document.sha256,
    name: document.name,
    media_type: document.mediaType,
    bytes: document.bytes,
    pages: document.pages,
    url: document.url,
  };
}

export function questionJson(question: QuestionListItem) {
  return {
    letter_slug: question.letterSlug,
    letter_title: question.letterTitle,
    letter_status: question.letterStatus,
    sent_on: question.sentOn,
    number: question.number,
    kind: question.kind,
    text: question.text,
    status: question.status,
    status_on: question.statusOn,
    days_open: question.daysOpen,
    overdue: question.overdue,
    effective_deadline: question.effectiveDeadline,
    deadline_source: question.deadlineSource,
    agencies: question.agencies.map(agencyJson),
    url: `/letters/${question.letterSlug}`,
  };
}

export interface AgencyCounts {
  slug: string;
  name: string;
  acronym: string | null;
  letters_total: number;
  letters_open: number;
  letters_overdue: number;
}

/**
 * Every agency with how many of the selected letters (same filters as /letters, as of `asOf`)
 * went to it, how many are still open (awaiting or overdue) and how many are overdue.
 */
export function agencyCounts({ filters, asOf }: { filters: Omit<LetterFilters, "asOf" | "sort" | "dir" | "page">; asOf: CalendarDate }): AgencyCounts[] {
  // The agency filter itself would reduce the list to one agency; the counts ignore it.
  const where = letterWhereSql({ filters: { ...filters, agency: null }, asOf });
  return getDb().all<AgencyCounts>(sql`${stateAsOf(asOf)},
    selected AS (
      SELECT l.id AS letter_id, ${letterStatusSql(asOf)} AS status
      FROM letters l JOIN letter_state s ON s.letter_id = l.id WHERE ${where}
    ),
    per_agency AS (
      SELECT DISTINCT lr.agency_id, sel.letter_id, sel.status
      FROM letter_recipients lr JOIN selected sel ON sel.letter_id = lr.letter_id
    )
    SELECT a.slug AS slug, a.name AS name, a.acronym AS acronym,
      COUNT(p.letter_id) AS letters_total,
      COALESCE(SUM(p.status IN (${openLetterStatusesSql})), 0) AS letters_open,
      COALESCE(SUM(p.status = 'overdue'), 0) AS letters_overdue
    FROM agencies a LEFT JOIN per_agency p ON p.agency_id = a.id
    GROUP BY a.id
    ORDER BY a.name`);
}

/** A rate as the API gives it: the count, its n, and the rate (null below the small-n rule's n). */
function rateJson(value: Rate) {
  return { count: value.count, n: value.n, rate: value.rate === null ? null : Math.round(value.rate * 10_000) / 10_000 };
}

/**
 * `/api/agencies`: every agency's counts (agencyCounts) with its figures as its pages show them,
 * over the same selected letters: the share answered, the on-time rate and the Kaplan–Meier median
 * days to a first substantive response, each with its n; a rate or median from fewer letters than
 * the small-n rule's (statistics.ts, MIN_LETTERS_TO_RATE) is null, and so is a median not reached.
 */
export function agencyListJson({ filters, asOf }: { filters: Omit<LetterFilters, "asOf" | "sort" | "dir" | "page">; asOf: CalendarDate }) {
  const counts = agencyCounts({ filters, asOf });
  const figures = new Map(agencyFigures({ asOf, selection: { ...filters, agency: null } }).map((figure) => [figure.slug, figure]));
  return counts.map((agency) => {
    const figure = figures.get(agency.slug);
    const letters = figure?.letters ?? 0;
    return {
      ...agency,
      answered: rateJson(figure?.answered ?? rate(0, 0)),
      on_time: rateJson(figure?.onTime ?? rate(0, 0)),
      median_response_days: { days: figure?.medianRated ? figure.medianDays : null, n: letters },
    };
  });
}
