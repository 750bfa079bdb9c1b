/**
 * A whole letter proposed from its text: title, sent date, chamber, committee, senders, recipients,
 * deadline, and every question and request with its kind; each with the span of the (normalised)
 * text it came from, so the form can show where. The staffer confirms or corrects everything before
 * it is saved, so this aims to be right on the letters congressional offices write and harmless
 * when it is not. Pure and linear in the text's length: the server runs it in the read pool (task
 * "proposeLetter"); pasted text and, later, text extracted from a PDF or .docx come in the same way.
 *
 * Names are the letter's words. Matching a sender to a member of Congress and a recipient to an
 * official and agency is a separate step: senders give {name, title}, recipients {name, title,
 * agencyName}.
 */
import type { CalendarDate } from "./dates";
import { isCalendarDate } from "./dates";
import { MAX_QUESTIONS_PER_LETTER, TEXT_LIMITS } from "./letter-rules";
import { proposeDeadline, type ProposedDeadline } from "./letter-proposal/deadline";
import { proposeItems, type ProposedItem } from "./letter-proposal/items";
import {
  findFrame,
  proposeLetterhead,
  proposeRecipients,
  proposeSenders,
  proposeSentOn,
  proposeTitle,
  type ProposedRecipient,
  type ProposedSender,
} from "./letter-proposal/people";
import { linesOf, normaliseText, proposalWork, type Span } from "./letter-proposal/text";
import type { Chamber } from "./vocabulary";

export type { ProposedDeadline, ProposedItem, ProposedRecipient, ProposedSender, Span };
export { proposalWork };
export { guessKind } from "./letter-proposal/items";
export { addBusinessDays, federalHolidays } from "./letter-proposal/calendar";

export interface LetterProposal {
  /** The normalised text every span points into. */
  text: string;
  title: { text: string; span: Span } | null;
  /** From the letter's date line; null if it has none (never today by default). */
  sentOn: { date: CalendarDate; span: Span } | null;
  chamber: { value: Chamber; span: Span | null } | null;
  committee: { name: string; span: Span } | null;
  senders: ProposedSender[];
  recipients: ProposedRecipient[];
  deadline: ProposedDeadline | null;
  items: ProposedItem[];
  /**
   * The proposed senders and recipients matched to the roster and the agency directory, in their
   * order (the server adds these: app/models/read-tasks.server.ts); a field shows the picker label
   * of the match, which the staffer can change. Null: no single match, the name as read.
   */
  matches?: ProposalMatches;
}

export interface ProposalMatches {
  senders: Array<{ member: string } | null>;
  recipients: Array<{ official: string | null; agency: string | null; name: string; title: string | null } | null>;
}

/**
 * The proposal for a letter's text. `sentOn` (what the staffer typed) counts relative deadlines
 * when the text has no date line; the letter's own date line wins.
 */
export function proposeLetter(raw: string, options: { sentOn?: CalendarDate | null } = {}): LetterProposal {
  const text = normaliseText(raw);
  const lines = linesOf(text);
  const frame = findFrame(lines);
  const sentOn = proposeSentOn(lines, frame, text);
  const reference = sentOn?.date ?? (options.sentOn && isCalendarDate(options.sentOn) ? options.sentOn : null);
  const senders = proposeSenders(lines, frame, text);
  const letterhead = proposeLetterhead(
    lines,
    frame,
    senders.map((sender) => sender.title ?? ""),
  );
  const recipients = proposeRecipients(lines, frame, text);
  const bodyFrom = frame.bodyFrom < lines.length ? lines[frame.bodyFrom]!.start : text.length;
  const bodyTo = frame.bodyTo < lines.length ? lines[frame.bodyTo]!.start : text.length;
  const noiseStarts = lines.filter((line) => line.noise);
  let cursor = 0;
  const excluded = (position: number) => {
    // Positions come in increasing order per pattern; a binary search keeps it cheap either way.
    let low = 0;
    let high = noiseStarts.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const line = noiseStarts[middle]!;
      if (position < line.start) high = middle - 1;
      else if (position > line.end) low = middle + 1;
      else return true;
    }
    cursor++;
    return false;
  };
  const deadline = proposeDeadline(text, bodyFrom, bodyTo, reference, excluded);
  const items = proposeItems({ lines, text, from: frame.bodyFrom, to: Math.min(frame.bodyTo, lines.length) });
  const title = proposeTitle(lines, frame, text, TEXT_LIMITS.title);
  return {
    text,
    title: title ? { text: title.title, span: title.span } : null,
    sentOn,
    chamber: letterhead.chamber ? { value: letterhead.chamber, span: letterhead.chamberSpan } : null,
    committee: letterhead.committee && letterhead.committeeSpan ? { name: letterhead.committee, span: letterhead.committeeSpan } : null,
    senders,
    recipients,
    deadline,
    items,
  };
}

// The letter form ----------------------------------------------------------------------------------

/** What "Propose from text" reads from a form's values: the text and the sent date typed, if any. */
export function proposalRequest(payload: Record<string, unknown>): { text: string; sentOn: CalendarDate | null } {
  const sentOn = typeof payload.sentOn === "string" && isCalendarDate(payload.sentOn.trim()) ? payload.sentOn.trim() : null;
  const text = typeof payload.pasteText === "string" ? payload.pasteText : "";
  return { text, sentOn };
}

export interface CommitteeOption {
  value: string;
  label: string;
}

const COMMITTEE_NOISE = /\b(?:u\.?s\.?|house|senate|committee|on|the|and|of|democrats|republicans|majority|minority|&)\b|[().,;]/g;
const committeeKey = (name: string) =>
  name
    .toLowerCase()
    .replace(COMMITTEE_NOISE, " ")
    .split(/\s+/)
    .filter(Boolean)
    .sort()
    .join(" ");

/** The one committee of the list with the proposed name's words (ignoring "House", "Committee on", party); else null. */
export function matchCommittee(name: string, chamber: Chamber | null, options: readonly CommitteeOption[]): CommitteeOption | null {
  const key = committeeKey(name);
  if (!key) return null;
  const matches = options.filter((option) => committeeKey(option.label) === key);
  const inChamber = chamber ? matches.filter((option) => new RegExp(`\\b${chamber}\\b`, "i").test(option.label)) : matches;
  const pool = inChamber.length > 0 ? inChamber : matches;
  const plain = pool.filter((option) => !/\((?:Democrats|Republicans)\)/i.test(option.label));
  const chosen = plain.length === 1 ? plain : pool;
  return chosen.length === 1 ? chosen[0]! : null;
}

const isEmptyRow = (row: unknown) =>
  !row || typeof row !== "object" || Object.values(row as Record<string, unknown>).every((value) => value === undefined || value === null || String(value).trim() === "");

/** Which proposed field the page should focus first (the form's field names). */
export type ProposalFocus = "title" | "sentOn" | "deadline" | "questions" | "senders" | "recipients" | null;

export interface AppliedProposal {
  values: Record<string, unknown>;
  note: string;
  focus: ProposalFocus;
}

/**
 * Applies a proposal to the letter form's values: the sent date, chamber, deadline and questions
 * found replace the form's; the title and committee fill them when empty; the senders and
 * recipients fill the form's rows when none has been filled (their names are looked up when saving
 * unless the staffer picks someone). Says what was found.
 */
export function applyProposal(
  payload: Record<string, unknown>,
  proposal: LetterProposal,
  committees: readonly CommitteeOption[] = [],
): AppliedProposal {
  const values: Record<string, unknown> = { ...payload };
  const found: string[] = [];
  let focus: ProposalFocus = null;
  const focusOn = (field: ProposalFocus) => (focus = focus ?? field);
  if (proposal.title && (typeof payload.title !== "string" || payload.title.trim() === "")) {
    values.title = proposal.title.text;
    found.push("the title");
    focusOn("title");
  }
  if (proposal.sentOn) {
    values.sentOn = proposal.sentOn.date;
    found.push(`the sent date ${proposal.sentOn.date}`);
    focusOn("sentOn");
  }
  if (proposal.chamber) values.chamber = proposal.chamber.value;
  if (proposal.committee && !payload.committee && !payload.newCommittee) {
    const match = matchCommittee(proposal.committee.name, proposal.chamber?.value ?? null, committees);
    if (match) {
      values.committee = match.value;
      found.push(`the committee (${match.label})`);
    }
  }
  if (proposal.deadline?.date) {
    values.deadline = proposal.deadline.date;
    found.push(`the deadline ${proposal.deadline.date} (from “${proposal.deadline.phrase}”)`);
    focusOn("deadline");
  }
  let questionsLeftOut = 0;
  if (proposal.items.length > 0) {
    const proposed = proposal.items.slice(0, MAX_QUESTIONS_PER_LETTER).map((item) => ({ text: item.text, kind: item.kind }));
    const kept = keepQuestionIdentities(Array.isArray(payload.questions) ? payload.questions : [], proposed);
    values.questions = kept.rows;
    questionsLeftOut = kept.leftOut;
    const count = proposed.length;
    found.push(
      `${count} question${count === 1 ? "" : "s"} and request${count === 1 ? "" : "s"}` +
        (kept.kept > 0 ? ` (${kept.kept} as the letter already has ${kept.kept === 1 ? "it" : "them"}, kept with ${kept.kept === 1 ? "its" : "their"} responses and links)` : ""),
    );
    focusOn("questions");
  }
  const senders = Array.isArray(payload.senders) ? payload.senders : [];
  if (proposal.senders.length > 0 && senders.every(isEmptyRow)) {
    values.senders = proposal.senders.map((sender, index) => ({ member: proposal.matches?.senders[index]?.member ?? sender.name, role: sender.title ?? undefined }));
    values.leadSender = "0";
    found.push(`${proposal.senders.length} sender${proposal.senders.length === 1 ? "" : "s"}`);
    focusOn("senders");
  }
  const recipients = Array.isArray(payload.recipients) ? payload.recipients : [];
  if (proposal.recipients.length > 0 && recipients.every(isEmptyRow)) {
    values.recipients = proposal.recipients.map((recipient, index) => {
      const match = proposal.matches?.recipients[index] ?? null;
      return {
        official: match?.official ?? recipient.name,
        name: match?.name ?? recipient.name,
        title: match?.title ?? recipient.title ?? undefined,
        agency: match?.agency ?? recipient.agencyName ?? undefined,
      };
    });
    found.push(`${proposal.recipients.length} recipient${proposal.recipients.length === 1 ? "" : "s"}`);
    focusOn("recipients");
  }
  const leftOutNote =
    questionsLeftOut > 0
      ? ` ${questionsLeftOut} question${questionsLeftOut === 1 ? "" : "s"} the form had ${questionsLeftOut === 1 ? "is" : "are"} not in the text: saving removes ${questionsLeftOut === 1 ? "it" : "them"}, with ${questionsLeftOut === 1 ? "its" : "their"} verdicts.`
      : "";
  const note =
    found.length > 0
      ? `Proposed ${found.join(", ")}. Check them below before saving.${leftOutNote}`
      : "Nothing to propose was found in the pasted text; enter the letter below.";
  return { values, note, focus };
}

/** A question's words for telling whether two texts ask the same thing: case, quotes, spacing and end punctuation aside. */
function questionKey(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[“”"‘’']/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\s.?!:;,]+$/, "");
}

/**
 * The form's question rows for a proposal: a proposed question whose text is one the form already
 * has (by questionKey, each row used once) is that row, unchanged (its id, kind, repeat link),
 * so that saving keeps the question and what hangs on it: responses' verdicts, follow-ups' "asks
 * again" links. Proposed afresh, every question lost its id, and the save deleted and re-created
 * them all (attack 22). Others are new rows; `leftOut` counts the form's stored questions the text lacks.
 */
export function keepQuestionIdentities(
  formRows: readonly unknown[],
  proposed: ReadonlyArray<{ text: string; kind: string }>,
): { rows: Array<Record<string, unknown>>; kept: number; leftOut: number } {
  const existing = formRows.filter(
    (row): row is Record<string, unknown> => !!row && typeof row === "object" && typeof (row as Record<string, unknown>).text === "string",
  );
  const unused = new Map<string, Array<Record<string, unknown>>>();
  for (const row of existing) {
    const key = questionKey(row.text as string);
    if (!key) continue;
    unused.set(key, [...(unused.get(key) ?? []), row]);
  }
  let kept = 0;
  const rows = proposed.map((item) => {
    const same = unused.get(questionKey(item.text))?.shift();
    if (!same) return { text: item.text, kind: item.kind };
    kept += 1;
    return { ...same };
  });
  // Stored questions (with an id) the text lacks: saving removes them.
  const leftOut = [...unused.values()].reduce((sum, left) => sum + left.filter((row) => row.id !== undefined && String(row.id).trim() !== "").length, 0);
  return { rows, kept, leftOut };
}

// Where each proposed field came from ------------------------------------------------------------

export interface ProposalSource {
  /** Unique within the proposal, usable in an element id: "title", "item-3", "sender-1". */
  key: string;
  /** What was proposed from here, for people: "Question 3", "Sender 1". */
  label: string;
  span: Span;
}

/** Every proposed field with its span, in the order of the text. */
export function proposalSources(proposal: LetterProposal): ProposalSource[] {
  const sources: ProposalSource[] = [];
  if (proposal.committee) sources.push({ key: "committee", label: "Committee", span: proposal.committee.span });
  if (proposal.chamber?.span && proposal.chamber.span.start !== proposal.committee?.span.start) sources.push({ key: "chamber", label: "Chamber", span: proposal.chamber.span });
  if (proposal.sentOn) sources.push({ key: "sent-on", label: "Sent date", span: proposal.sentOn.span });
  if (proposal.title) sources.push({ key: "title", label: "Title", span: proposal.title.span });
  proposal.recipients.forEach((recipient, index) => sources.push({ key: `recipient-${index + 1}`, label: `Recipient ${index + 1}`, span: recipient.span }));
  if (proposal.deadline) sources.push({ key: "deadline", label: "Deadline", span: proposal.deadline.span });
  proposal.items.forEach((item) => sources.push({ key: `item-${item.number}`, label: `Question ${item.number}`, span: item.span }));
  proposal.senders.forEach((sender, index) => sources.push({ key: `sender-${index + 1}`, label: `Sender ${index + 1}`, span: sender.span }));
  return sources.sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end);
}

/** A piece of the text: plain, or a proposed field's source with the pieces inside it. */
export type MarkedPiece = { text: string } | { source: ProposalSource; pieces: MarkedPiece[] };

/**
 * The text cut into plain pieces and sources, nested where one source lies inside another (a
 * deadline inside a question); a source that only partly overlaps an earlier one is left out.
 */
export function markedPieces(text: string, sources: readonly ProposalSource[]): MarkedPiece[] {
  const root: { pieces: MarkedPiece[]; end: number } = { pieces: [], end: text.length };
  const stack: Array<{ pieces: MarkedPiece[]; end: number; at: number }> = [{ ...root, at: 0 }];
  const closeUntil = (position: number) => {
    while (stack.length > 1 && stack.at(-1)!.end <= position) {
      const top = stack.pop()!;
      if (top.at < top.end) top.pieces.push({ text: text.slice(top.at, top.end) });
      stack.at(-1)!.at = top.end;
    }
  };
  for (const source of sources) {
    const { start, end } = source.span;
    if (start < 0 || end > text.length || end <= start) continue;
    closeUntil(start);
    const parent = stack.at(-1)!;
    if (start < parent.at || end > parent.end) continue;
    if (parent.at < start) parent.pieces.push({ text: text.slice(parent.at, start) });
    const pieces: MarkedPiece[] = [];
    parent.pieces.push({ source, pieces });
    parent.at = start;
    stack.push({ pieces, end, at: start });
  }
  closeUntil(text.length + 1);
  const base = stack[0]!;
  if (base.at < text.length) base.pieces.push({ text: text.slice(base.at) });
  return base.pieces;
}
