/**
 * Proposes a letter's numbered questions and its deadline from pasted letter text. The staffer
 * confirms or corrects the proposal before anything is saved, so this aims to be right on typical
 * congressional letters and harmless when it is not.
 *
 * Lists: "1." / "1)" / "(1)", "(a)" / "a.", "i." / "(ii)". The list style with the longest run
 * counting up from its first value becomes the questions; lines of other styles inside an item
 * (sub-questions) stay part of that item's text.
 * Deadlines: "no later than May 1, 2025", "by close of business on June 15", "on or before 6/15/2025",
 * "within 14 days of receipt of this letter", "within two weeks".
 */
import { addDays, format, isValid, parse } from "date-fns";
import type { CalendarDate } from "./dates";
import type { QuestionKind } from "./vocabulary";

export interface ProposedQuestion {
  number: number;
  text: string;
  kind: QuestionKind;
}

export interface ProposedDeadline {
  date: CalendarDate;
  /** The words the date came from, to show the staffer. */
  phrase: string;
}

export interface LetterTextProposal {
  questions: ProposedQuestion[];
  deadline: ProposedDeadline | null;
}

type Style = "number" | "letter" | "roman";

interface Marker {
  line: number;
  style: Style;
  ordinal: number;
  rest: string;
}

/**
 * Steps of work the parser has done (lines read, markers visited while finding runs, lines joined
 * into items), for tests that check the work grows linearly with the text; never reset by the parser.
 */
export const parserWork = { steps: 0 };

const ROMAN: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100 };

function romanValue(text: string): number | null {
  if (!/^[ivxlc]+$/.test(text)) return null;
  let total = 0;
  for (let index = 0; index < text.length; index++) {
    const value = ROMAN[text[index]!]!;
    const next = ROMAN[text[index + 1] ?? ""] ?? 0;
    total += value < next ? -value : value;
  }
  return total > 0 && total < 40 ? total : null;
}

/** Every way a line could start a list item ("i." is both the 9th letter and roman one). */
function markersOf(line: string, lineIndex: number): Marker[] {
  parserWork.steps++;
  const match = /^\s*(?:\((\w{1,5})\)|(\w{1,5})[.)])\s+(\S.*)$/.exec(line);
  if (!match) return [];
  const token = (match[1] ?? match[2])!;
  const rest = match[3]!;
  const markers: Marker[] = [];
  if (/^\d{1,2}$/.test(token)) markers.push({ line: lineIndex, style: "number", ordinal: Number(token), rest });
  if (/^[a-z]$/.test(token)) markers.push({ line: lineIndex, style: "letter", ordinal: token.charCodeAt(0) - 96, rest });
  const roman = romanValue(token);
  if (roman !== null) markers.push({ line: lineIndex, style: "roman", ordinal: roman, rest });
  return markers;
}

/**
 * The longest run of one style counting 1, 2, 3, ... in document order: from a "1", each next
 * marker is the first later one counting up by one. Runs from different starts merge once they
 * meet, so each marker's run length is computed once, from the end (linear in the markers); ties
 * go to the earliest start, and to number, then letter, then roman style.
 */
function longestRun(markers: Marker[]): Marker[] {
  let best: Marker[] = [];
  for (const style of ["number", "letter", "roman"] as const) {
    const ofStyle = markers.filter((marker) => marker.style === style);
    // next[i]: index of the first later marker counting up from ofStyle[i]; length[i]: its run's length.
    const next = new Array<number>(ofStyle.length).fill(-1);
    const length = new Array<number>(ofStyle.length).fill(1);
    const nearestLater = new Map<number, number>();
    for (let index = ofStyle.length - 1; index >= 0; index--) {
      parserWork.steps++;
      const ordinal = ofStyle[index]!.ordinal;
      const following = nearestLater.get(ordinal + 1);
      if (following !== undefined) {
        next[index] = following;
        length[index] = 1 + length[following]!;
      }
      nearestLater.set(ordinal, index);
    }
    let bestStart = -1;
    for (let start = 0; start < ofStyle.length; start++) {
      parserWork.steps++;
      if (ofStyle[start]!.ordinal !== 1) continue;
      if (length[start]! > (bestStart === -1 ? best.length : length[bestStart]!)) bestStart = start;
    }
    if (bestStart === -1) continue;
    const run: Marker[] = [];
    for (let index = bestStart; index !== -1; index = next[index]!) {
      parserWork.steps++;
      run.push(ofStyle[index]!);
    }
    best = run;
  }
  return best;
}

const KIND_RULES: Array<[QuestionKind, RegExp]> = [
  ["testimony", /\b(testify|testimony|appear before|transcribed interview|hearing)\b/i],
  ["briefing_request", /\bbrief(ing)?\b/i],
  [
    "document_request",
    /^(all |any |copies of |a copy of |documents|records|communications|produce |provide (all|any|copies|a copy)\b)|\b(all|any) (documents|records|communications|reports)\b/i,
  ],
];

export function guessKind(text: string): QuestionKind {
  for (const [kind, pattern] of KIND_RULES) if (pattern.test(text)) return kind;
  return "question";
}

function cleanItem(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[;,]\s*(and|or)?$/i, "")
    .replace(/\s+(and|or)$/i, "")
    .trim();
}

export function proposeQuestions(text: string): ProposedQuestion[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const run = longestRun(lines.flatMap((line, index) => markersOf(line, index)));
  return run.map((marker, index) => {
    const end = run[index + 1]?.line ?? lines.length;
    const parts = [marker.rest];
    for (let line = marker.line + 1; line < end; line++) {
      parserWork.steps++;
      const content = lines[line]!;
      // A blank line followed by an unindented paragraph ends the list (e.g. the closing request).
      if (content.trim() === "") {
        const next = lines[line + 1] ?? "";
        if (index === run.length - 1 && next.trim() !== "" && markersOf(next, line + 1).length === 0) break;
        continue;
      }
      parts.push(content.trim());
    }
    const itemText = cleanItem(parts.join(" "));
    return { number: index + 1, text: itemText, kind: guessKind(itemText) };
  });
}

const MONTHS =
  "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?";
const WEEKDAY = "(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\\s+)?";
const DATE_TEXT = `(${WEEKDAY}${MONTHS}\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?|${WEEKDAY}\\d{1,2}\\s+${MONTHS}(?:\\s+\\d{4})?|\\d{1,2}/\\d{1,2}/\\d{2,4})`;
const TIME_OF_DAY = "(?:\\s+(?:the\\s+)?close of business|\\s+COB|\\s+\\d{1,2}(?::\\d{2})?\\s*[ap]\\.?m\\.?(?:\\s+(?:ET|EST|EDT|Eastern(?:\\s+Time)?))?)?(?:\\s+on)?";
const LEAD_IN = `(?:(?:no later than|not later than|on or before|by)${TIME_OF_DAY}|hearing (?:scheduled )?(?:for|on))`;
const ABSOLUTE = new RegExp(`\\b(${LEAD_IN}\\s*,?\\s*${DATE_TEXT})`, "i");

const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fourteen: 14, fifteen: 15, twenty: 20, thirty: 30, "twenty-one": 21,
  "forty-five": 45, sixty: 60, ninety: 90,
};
const RELATIVE =
  /\b(within\s+(\d{1,3}|[a-z]+(?:-[a-z]+)?)\s+(?:\(\d{1,3}\)\s+)?(business\s+|calendar\s+)?(days?|weeks?)(?:\s+(?:of|from|after)\s+(?:the\s+)?(?:receipt|date)\s+of\s+this\s+letter)?)/i;

function parseDateText(text: string, reference: CalendarDate): CalendarDate | null {
  const cleaned = text
    .replace(new RegExp(`^${WEEKDAY}`, "i"), "")
    .replace(/(\d)(st|nd|rd|th)\b/i, "$1")
    .replace(/\./g, "")
    .replace(/,/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/\bSept\b/i, "Sep");
  const referenceDate = parse(reference, "yyyy-MM-dd", new Date(2000, 0, 1));
  const withYear = ["MMMM d yyyy", "MMM d yyyy", "d MMMM yyyy", "d MMM yyyy", "M/d/yyyy", "M/d/yy"];
  for (const pattern of withYear) {
    const parsed = parse(cleaned, pattern, referenceDate);
    if (isValid(parsed)) return format(parsed, "yyyy-MM-dd");
  }
  // No year: the first such date on or after the letter's date.
  for (const pattern of ["MMMM d", "MMM d", "d MMMM", "d MMM"]) {
    const parsed = parse(cleaned, pattern, referenceDate);
    if (isValid(parsed)) {
      let candidate = format(parsed, "yyyy-MM-dd");
      if (candidate < reference) {
        candidate = format(new Date(parsed.getFullYear() + 1, parsed.getMonth(), parsed.getDate()), "yyyy-MM-dd");
      }
      return candidate;
    }
  }
  return null;
}

function addBusinessDays(start: Date, days: number): Date {
  let date = start;
  let left = days;
  while (left > 0) {
    date = addDays(date, 1);
    if (date.getDay() !== 0 && date.getDay() !== 6) left--;
  }
  return date;
}

/** The deadline a letter asks for, relative phrases counted from `sentOn` (receipt is taken as sending). */
export function proposeDeadline(text: string, sentOn: CalendarDate): ProposedDeadline | null {
  const flat = text.replace(/\s+/g, " ");
  const absolute = ABSOLUTE.exec(flat);
  const relative = RELATIVE.exec(flat);
  // The phrase that comes first in the letter wins.
  if (absolute && (!relative || absolute.index <= relative.index)) {
    const date = parseDateText(absolute[2]!, sentOn);
    if (date) return { date, phrase: absolute[1]!.trim() };
  }
  if (relative) {
    const amountText = relative[2]!.toLowerCase();
    const amount = /^\d+$/.test(amountText) ? Number(amountText) : NUMBER_WORDS[amountText];
    if (amount !== undefined && amount > 0) {
      const start = parse(sentOn, "yyyy-MM-dd", new Date(2000, 0, 1));
      const unit = relative[4]!.toLowerCase();
      const date = unit.startsWith("week")
        ? addDays(start, amount * 7)
        : relative[3]?.toLowerCase().startsWith("business")
          ? addBusinessDays(start, amount)
          : addDays(start, amount);
      return { date: format(date, "yyyy-MM-dd"), phrase: relative[1]!.trim() };
    }
  }
  return null;
}

export function parseLetterText(text: string, sentOn: CalendarDate): LetterTextProposal {
  return { questions: proposeQuestions(text), deadline: proposeDeadline(text, sentOn) };
}

/** What "Propose questions and deadline" parses from a form's values: the pasted text and the sent date. */
export function proposalRequest(payload: Record<string, unknown>, today: CalendarDate): { text: string; sentOn: CalendarDate } {
  const sentOn = typeof payload.sentOn === "string" && /^\d{4}-\d{2}-\d{2}$/.test(payload.sentOn) ? payload.sentOn : today;
  const text = typeof payload.pasteText === "string" ? payload.pasteText : "";
  return { text, sentOn };
}

/**
 * Applies a proposal to the letter form's submitted values: the questions and deadline found in
 * `pasteText` replace the form's (when any were found), everything else stays as typed; with a
 * note saying what was found.
 */
export function applyProposal(payload: Record<string, unknown>, proposal: LetterTextProposal): { values: Record<string, unknown>; note: string } {
  const values = { ...payload };
  const found: string[] = [];
  if (proposal.questions.length > 0) {
    values.questions = proposal.questions.map((question) => ({ text: question.text, kind: question.kind }));
    found.push(`${proposal.questions.length} question${proposal.questions.length === 1 ? "" : "s"}`);
  }
  if (proposal.deadline) {
    values.deadline = proposal.deadline.date;
    found.push(`the deadline ${proposal.deadline.date} (from “${proposal.deadline.phrase}”)`);
  }
  const note =
    found.length > 0
      ? `Proposed ${found.join(" and ")}. Check them below before saving.`
      : "No numbered questions or deadline were found in the pasted text; enter them below.";
  return { values, note };
}

/**
 * Both steps at once (the browser, with JavaScript). The server runs the parsing in the read pool
 * (read task "parseLetterText") and then applyProposal.
 */
export function proposeIntoForm(
  payload: Record<string, unknown>,
  today: CalendarDate,
): { values: Record<string, unknown>; note: string } {
  const { text, sentOn } = proposalRequest(payload, today);
  return applyProposal(payload, parseLetterText(text, sentOn));
}
