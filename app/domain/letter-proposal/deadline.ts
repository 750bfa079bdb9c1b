/**
 * The deadline a letter states, and the rule that turns its words into a date:
 * - absolute dates: "no later than 5:00 p.m. on Friday, May 2, 2025", "by close of business on June
 *   15" (no year: the first such date on or after the letter's date), "on or before 6/15/2025";
 * - relative to the letter: "within 14 days of receipt", "within ten (10) business days of the date of
 *   this letter" (business days skip weekends and federal holidays), "two weeks from the date of this
 *   letter"; receipt is taken as the letter's date (letters are sent by email);
 * - weekdays: "by close of business on Friday" and "on the Friday after this letter" mean the first
 *   Friday after the letter's date; "Friday of next week" and "next Friday" the Friday of the week after;
 * - hearings: "prior to the hearing on June 3, 2025" is the day before; "testify at a hearing on
 *   July 22, 2024" is the hearing's day;
 * - "by the end of the month".
 * The phrase that comes first in the letter wins; one naming a date before the letter's is ignored
 * (it is a past event, not a deadline). The phrase must sit in a sentence that asks for something.
 */
import type { CalendarDate } from "../dates";
import {
  addBusinessDays,
  addCalendarDays,
  DATE_PATTERN,
  endOfMonth,
  nextWeekday,
  parseDateText,
  WEEKDAY_NAMES,
  weekdayOfNextWeek,
} from "./calendar";
import { proposalWork, type Span } from "./text";

export interface ProposedDeadline {
  /** Null when the words count from a letter date that is not known. */
  date: CalendarDate | null;
  /** The words the date came from. */
  phrase: string;
  /** How the date follows from the words, for the staffer. */
  rule: string;
  span: Span;
}

const TIME = String.raw`(?:\s+(?:the\s+)?close\s+of\s+business|\s+COB|\s+(?:the\s+)?end\s+of\s+(?:the\s+)?(?:business\s+)?day|\s+(?:noon|midnight)|\s+\d{1,2}(?::\d{2})?\s*(?:[ap]\.?\s?m\.?)(?:\s*\(?(?:ET|EST|EDT|Eastern(?:\s+(?:Standard|Daylight))?(?:\s+Time)?)\)?)?)?(?:\s*,)?(?:\s+on)?`;
const LEAD = String.raw`(?:no\s+later\s+than|not\s+later\s+than|on\s+or\s+before|by|before|until)`;
const NUMBER_WORD =
  "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|twenty-one|twenty-five|thirty|forty-five|sixty|ninety";
const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20,
  "twenty-one": 21, "twenty-five": 25, thirty: 30, "forty-five": 45, sixty: 60, ninety: 90, a: 1, an: 1,
};
const WEEKDAY = "(Monday|Tuesday|Wednesday|Thursday|Friday)";
const FROM_LETTER = String.raw`(?:of|from|after|following)\s+(?:(?:your|the)\s+)?(?:receipt|receiving|date)(?:\s+of)?(?:\s+(?:this|the|our)\s+letter)?|(?:of|from|after|following)\s+(?:the\s+date\s+of\s+)?(?:this|the|our)\s+letter`;

interface Pattern {
  regex: RegExp;
  resolve: (match: RegExpExecArray, sentOn: CalendarDate | null) => { date: CalendarDate | null; rule: string } | null;
}

function amountOf(text: string): number | null {
  const lower = text.toLowerCase();
  if (/^\d+$/.test(lower)) return Number(lower);
  return NUMBER_WORDS[lower] ?? null;
}

const PATTERNS: Pattern[] = [
  {
    // "prior to the hearing on June 3, 2025": the day before.
    regex: new RegExp(String.raw`\b(?:prior\s+to|before|in\s+advance\s+of|ahead\s+of)\s+(?:the|its|your|our)\s+(?:(?:scheduled|upcoming|planned|Committee's|Subcommittee's)\s+)*hearing(?:\s+(?:scheduled|set|planned))?\s+(?:for|on)\s+(${DATE_PATTERN})`, "gi"),
    resolve: (match, sentOn) => {
      const hearing = parseDateText(match[1]!, sentOn);
      return hearing ? { date: addCalendarDays(hearing, -1), rule: `the day before the hearing on ${hearing}` } : null;
    },
  },
  {
    // "appear and testify at a hearing on July 22, 2024": that day.
    regex: new RegExp(String.raw`\b(?:appear|testify)\b[^.;]{0,80}?\bhearing\s+(?:scheduled\s+|to\s+be\s+held\s+)?(?:for|on)\s+(${DATE_PATTERN})`, "gi"),
    resolve: (match, sentOn) => {
      const date = parseDateText(match[1]!, sentOn);
      return date ? { date, rule: "the day of the hearing" } : null;
    },
  },
  {
    regex: new RegExp(String.raw`\b${LEAD}${TIME}\s*,?\s*(${DATE_PATTERN})`, "gi"),
    resolve: (match, sentOn) => {
      const date = parseDateText(match[1]!, sentOn);
      if (!date) return sentOn ? null : { date: null, rule: "a date without its year, and the letter's date is not known" };
      return { date, rule: /\d{4}|\/\d{2}$/.test(match[1]!) ? "the date named" : "the date named, in the year after the letter's date" };
    },
  },
  {
    // "within 14 business days of receipt", "within two weeks", "no later than 30 days after receipt of this letter".
    regex: new RegExp(
      String.raw`\b(?:within\s+(\d{1,3}|${NUMBER_WORD}|a|an)(?:\s*\(\d{1,3}\))?\s+(business\s+|calendar\s+|working\s+)?(days?|weeks?)(?:\s+(?:${FROM_LETTER}))?|(?:${LEAD}\s+)?(\d{1,3}|${NUMBER_WORD})(?:\s*\(\d{1,3}\))?\s+(business\s+|calendar\s+|working\s+)?(days?|weeks?)\s+(?:${FROM_LETTER}))`,
      "gi",
    ),
    resolve: (match, sentOn) => {
      const amount = amountOf(match[1] ?? match[4]!);
      const business = /business|working/i.test(match[2] ?? match[5] ?? "");
      const unit = (match[3] ?? match[6]!).toLowerCase();
      if (amount === null || amount <= 0 || amount > 400) return null;
      const rule = `${amount} ${business ? "business days (weekends and federal holidays skipped)" : unit.startsWith("week") ? (amount === 1 ? "week" : "weeks") : amount === 1 ? "day" : "days"} after the letter's date`;
      if (!sentOn) return { date: null, rule: `${rule}, which is not known` };
      const date = unit.startsWith("week") ? addCalendarDays(sentOn, amount * 7) : business ? addBusinessDays(sentOn, amount) : addCalendarDays(sentOn, amount);
      return { date, rule };
    },
  },
  {
    // "by close of business on Friday", "by Friday of next week", "on the Friday after this letter".
    regex: new RegExp(
      String.raw`\b(?:${LEAD}${TIME}|on)\s+(?:(this|next|the|the\s+following)\s+)?${WEEKDAY}(?!,?\s+(?:\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec))(\s+of\s+next\s+week|\s+(?:after|following)\s+(?:the\s+date\s+of\s+|receipt\s+of\s+)?(?:this|the|our)\s+letter)?`,
      "gi",
    ),
    resolve: (match, sentOn) => {
      if (/^on\b/i.test(match[0]) && !match[3]) return null;
      const weekday = WEEKDAY_NAMES.indexOf(match[2]!.toLowerCase() as (typeof WEEKDAY_NAMES)[number]);
      const nextWeek = /next\s+week/i.test(match[3] ?? "") || /^next$/i.test(match[1] ?? "");
      const rule = nextWeek ? `the ${match[2]} of the week after the letter's date` : `the first ${match[2]} after the letter's date`;
      if (!sentOn) return { date: null, rule: `${rule}, which is not known` };
      return { date: nextWeek ? weekdayOfNextWeek(sentOn, weekday) : nextWeekday(sentOn, weekday), rule };
    },
  },
  {
    regex: /\bby\s+the\s+end\s+of\s+(?:this|the)\s+month\b/gi,
    resolve: (_match, sentOn) => (sentOn ? { date: endOfMonth(sentOn), rule: "the last day of the letter's month" } : { date: null, rule: "the end of the letter's month, which is not known" }),
  },
];

/** A sentence that asks for something: the deadline must be in one. */
const ASKING = /\b(?:respond|response|responses|reply|answer|answers|provide|produce|production|submit|brief|briefing|testify|appear|schedule|comply|compliance|deliver|request|requests|requested|please|make\s+\w+\s+available|expect|information|documents)\b/i;

function sentenceAround(text: string, index: number): string {
  const before = text.lastIndexOf(".", index);
  const start = Math.max(before === -1 ? 0 : before, index - 400, text.lastIndexOf("\n\n", index));
  const afterDot = text.indexOf(". ", index);
  const end = Math.min(afterDot === -1 ? text.length : afterDot, index + 300);
  return text.slice(Math.max(0, start), end);
}

/**
 * The deadline in the body (`from`..`to` of the text); `excluded` tells whether a position is in a
 * page header or footnote.
 */
export function proposeDeadline(
  text: string,
  from: number,
  to: number,
  sentOn: CalendarDate | null,
  excluded: (position: number) => boolean,
): ProposedDeadline | null {
  const body = text.slice(0, to);
  const found: Array<ProposedDeadline & { at: number }> = [];
  for (const pattern of PATTERNS) {
    pattern.regex.lastIndex = from;
    for (let match = pattern.regex.exec(body); match; match = pattern.regex.exec(body)) {
      proposalWork.steps++;
      if (excluded(match.index)) continue;
      if (!ASKING.test(sentenceAround(body, match.index))) continue;
      const resolved = pattern.resolve(match, sentOn);
      if (!resolved) continue;
      if (resolved.date && sentOn && resolved.date < sentOn) continue;
      found.push({ ...resolved, phrase: match[0].replace(/\s+/g, " ").trim(), span: { start: match.index, end: match.index + match[0].length }, at: match.index });
      break;
    }
  }
  if (found.length === 0) return null;
  found.sort((a, b) => a.at - b.at);
  const { at: _at, ...first } = found[0]!;
  return first;
}
