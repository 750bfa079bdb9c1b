/**
 * What a shared letter or agency says about itself, in one line: the headline of a letter's card
 * image ("Day 228 without an answer"), its social-card description, and the embeddable SVG badges of
 * letters and agencies. Pure: the pages, the image renderer and the badge routes all read it here.
 */
import { formatDate, type CalendarDate } from "./dates";
import { MIN_LETTERS_TO_RATE } from "./statistics";
import { LETTER_STATUS_LABELS, type LetterStatus } from "./vocabulary";

export interface LetterShareFacts {
  title: string;
  status: LetterStatus;
  sentOn: CalendarDate;
  /** Days since sending without a substantive response; null once one came. */
  daysOutstanding: number | null;
  /** Days from sending to the first substantive response; null while none has come. */
  responseDays: number | null;
  daysOverdue: number | null;
  /** Each recipient agency by its acronym, or its name when it has none. */
  agencies: string[];
  /** "Gregory W. Meeks (D-NY)". */
  senders: string[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The card's headline: how long the letter has waited, or how it was answered. */
export function letterHeadline(facts: LetterShareFacts): string {
  if (facts.daysOutstanding !== null && (facts.status === "awaiting" || facts.status === "overdue")) {
    return `Day ${facts.daysOutstanding} without an answer`;
  }
  const after = facts.responseDays !== null ? ` after ${plural(facts.responseDays, "day")}` : "";
  switch (facts.status) {
    case "partial":
      return `Partly answered${after}`;
    case "refused":
      return `Refused${after}`;
    case "answered":
      return `Answered${after}`;
    case "closed":
      return facts.responseDays !== null ? `Closed; first answered${after}` : "Closed without an answer";
    default:
      return LETTER_STATUS_LABELS[facts.status];
  }
}

/** "A, B and C"; more than `max` names end with "and N others". */
export function nameList(names: readonly string[], max = 3): string {
  if (names.length === 0) return "";
  const shown = names.length > max ? [...names.slice(0, max - 1), `${names.length - (max - 1)} others`] : [...names];
  return shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`;
}

/** One sentence for link previews (Open Graph and Twitter descriptions). */
export function letterShareDescription(facts: LetterShareFacts): string {
  const parts = [
    facts.senders.length > 0 ? `From ${nameList(facts.senders)}` : "A letter",
    facts.agencies.length > 0 ? ` to ${nameList(facts.agencies)}` : "",
    `, sent ${formatDate(facts.sentOn)}. `,
    `${letterHeadline(facts)}.`,
    facts.status === "overdue" && facts.daysOverdue !== null ? ` ${plural(facts.daysOverdue, "day")} past the deadline.` : "",
  ];
  return parts.join("");
}

export interface Badge {
  label: string;
  message: string;
  /** The message's background; the label's is fixed. */
  color: string;
}

/** The badge colours of the statuses: the site's own, dark enough for white text (WCAG AA). */
export const BADGE_COLORS: Record<LetterStatus, string> = {
  awaiting: "#4a5568",
  overdue: "#b42318",
  partial: "#93370d",
  refused: "#7a271a",
  answered: "#067647",
  closed: "#475467",
};

export function letterBadge(facts: LetterShareFacts): Badge {
  const waiting = facts.daysOutstanding !== null && (facts.status === "awaiting" || facts.status === "overdue");
  const message = waiting
    ? `${facts.status === "overdue" ? "overdue" : "awaiting reply"} · day ${facts.daysOutstanding}`
    : facts.responseDays !== null
      ? `${LETTER_STATUS_LABELS[facts.status].toLowerCase()} · ${facts.responseDays} d`
      : LETTER_STATUS_LABELS[facts.status].toLowerCase();
  return { label: "oversight letter", message, color: BADGE_COLORS[facts.status] };
}

export interface AgencyBadgeFacts {
  /** The acronym, or the name. */
  name: string;
  letters: number;
  answered: { count: number; n: number };
  /** Null when too few letters or not reached. */
  medianDays: number | null;
  medianRated: boolean;
}

/** An agency's response rate and median, or, under the small-n rule, how few letters it has. */
export function agencyBadge(facts: AgencyBadgeFacts): Badge {
  const label = `${facts.name} answers`;
  if (facts.answered.n < MIN_LETTERS_TO_RATE) {
    return { label, message: `too few letters to rate (n = ${facts.answered.n})`, color: "#475467" };
  }
  const percent = Math.round((facts.answered.count / facts.answered.n) * 100);
  const median = !facts.medianRated ? "" : facts.medianDays === null ? " · median not reached" : ` · median ${facts.medianDays} d`;
  const color = percent >= 75 ? "#067647" : percent >= 40 ? "#93370d" : "#b42318";
  return { label, message: `${percent}% of ${facts.answered.n}${median}`, color };
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (character) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[character]!);

/**
 * Text width in pixels at 11 px Verdana-like sans, per character class (badges are sized without a
 * font at hand; generous, so text never overruns its box).
 */
export function textWidth(text: string): number {
  let width = 0;
  for (const character of text) {
    if (/[ilI.,:;'|!·]/.test(character)) width += 3.5;
    else if (/[mwMW@%]/.test(character)) width += 10.5;
    else if (/[A-Z0-9]/.test(character)) width += 7.8;
    else width += 6.8;
  }
  return Math.ceil(width);
}

/** A flat two-part SVG badge (label | message), with its text for screen readers in <title>. */
export function badgeSvg(badge: Badge): string {
  const label = badge.label.slice(0, 80);
  const message = badge.message.slice(0, 80);
  const labelWidth = textWidth(label) + 12;
  const messageWidth = textWidth(message) + 12;
  const width = labelWidth + messageWidth;
  const title = escapeXml(`${label}: ${message}`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${title}">`,
    `<title>${title}</title>`,
    `<rect width="${labelWidth}" height="20" fill="#1d3557"/>`,
    `<rect x="${labelWidth}" width="${messageWidth}" height="20" fill="${badge.color}"/>`,
    `<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">`,
    `<text x="${labelWidth / 2}" y="14">${escapeXml(label)}</text>`,
    `<text x="${labelWidth + messageWidth / 2}" y="14">${escapeXml(message)}</text>`,
    `</g></svg>`,
  ].join("");
}
