/** What a letter's card and badge, and an agency's badge, are made from (app/domain/share.ts). */
import { sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import type { CalendarDate } from "~/domain/dates";
import type { AgencyBadgeFacts, LetterShareFacts } from "~/domain/share";
import { getAgencyBadgeFigures } from "./agencies.server";
import { getLetterDetail } from "./letters.server";

type LetterDetail = NonNullable<ReturnType<typeof getLetterDetail>>;

/** Senders as "Name (P-ST)", lead senders first; agencies by acronym, each once. */
export function shareFactsOfLetter(letter: LetterDetail): LetterShareFacts {
  const senders = [...letter.senders]
    .sort((a, b) => Number(b.isLead) - Number(a.isLead))
    .map((sender) => (sender.party && sender.state ? `${sender.name} (${sender.party.slice(0, 1)}-${sender.state})` : sender.name));
  const agencies = [...new Set(letter.recipients.map((recipient) => recipient.agency.acronym ?? recipient.agency.name))];
  return {
    title: letter.title,
    status: letter.status,
    sentOn: letter.sentOn,
    daysOutstanding: letter.daysOutstanding,
    responseDays: letter.responseDays,
    daysOverdue: letter.daysOverdue,
    agencies,
    senders,
  };
}

export function letterShareFacts({ slug, asOf }: { slug: string; asOf: CalendarDate }): LetterShareFacts | null {
  const letter = getLetterDetail({ slug, asOf });
  return letter && !letter.sentAfterAsOf ? shareFactsOfLetter(letter) : null;
}

/**
 * Whether letterShareFacts finds a letter at `slug` (its live slug, sent by `asOf`), by one indexed
 * read: what a HEAD of its card needs to answer as the GET would, without drawing it.
 */
export function hasLetterShare({ slug, asOf }: { slug: string; asOf: CalendarDate }): boolean {
  return getDb().get(sql`SELECT 1 AS found FROM letters WHERE slug = ${slug} AND sent_on <= ${asOf}`) !== undefined;
}

export function agencyBadgeFacts({ slug, asOf }: { slug: string; asOf: CalendarDate }): AgencyBadgeFacts | null {
  // The figures alone (shared with the agency page): not its components, officials or question counts.
  const found = getAgencyBadgeFigures({ slug, asOf });
  if (!found) return null;
  const name = found.agency.acronym ?? found.agency.name;
  const figures = found.figures;
  if (!figures) return { name, letters: 0, answered: { count: 0, n: 0 }, medianDays: null, medianRated: false };
  return {
    name,
    letters: figures.letters,
    answered: { count: figures.answered.count, n: figures.answered.n },
    medianDays: figures.medianDays,
    medianRated: figures.medianRated,
  };
}

/**
 * Whether agencyBadgeFacts finds an agency at `slug`, by one indexed read: what a HEAD of its badge
 * needs to answer as the GET would, without computing its figures.
 */
export function hasAgencyBadge({ slug }: { slug: string }): boolean {
  return getDb().get(sql`SELECT 1 AS found FROM agencies WHERE slug = ${slug}`) !== undefined;
}
