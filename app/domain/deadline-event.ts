/**
 * The words of a letter's deadline event in the deadline calendar (/calendar.ics): its title and
 * description. A deadline the letter never set (implied: DEFAULT_RESPONSE_DAYS after sending,
 * decision 0014) is said to be implied in both, in the words the pages use (vocabulary.ts), so a
 * subscriber's calendar does not show it as a date the letter set.
 */
import { formatDate, type CalendarDate } from "./dates";
import { IMPLIED_DEADLINE_SHORT, impliedDeadlineLabel, type DeadlineSource, type LetterStatus } from "./vocabulary";

export interface DeadlineEventLetter {
  title: string;
  sentOn: CalendarDate;
  status: LetterStatus;
  /** The deadline the letter set, if any. */
  deadline: CalendarDate | null;
  effectiveDeadline: CalendarDate;
  deadlineSource: DeadlineSource | null;
  agencies: readonly string[];
}

export function deadlineEventText(letter: DeadlineEventLetter, days: number): { summary: string; description: string } {
  const implied = letter.deadlineSource === "implied";
  const lines = [
    ...(implied ? [`Implied deadline: ${impliedDeadlineLabel(days)}`] : []),
    `To: ${letter.agencies.join("; ")}`,
    `Sent: ${formatDate(letter.sentOn)}`,
    `Status: ${letter.status}`,
  ];
  if (letter.deadlineSource === "extension") {
    lines.push(letter.deadline ? `Extended from ${formatDate(letter.deadline)}` : "Extended (the letter set no deadline)");
  }
  return {
    summary: implied ? `Deadline (${IMPLIED_DEADLINE_SHORT}): ${letter.title}` : `Deadline: ${letter.title}`,
    description: lines.join("\n"),
  };
}
