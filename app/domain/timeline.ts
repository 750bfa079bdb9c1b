/** A letter's events in date order, for its page: sent, deadline, extensions, responses, follow-ups, closing. */
import { formatDate, type CalendarDate } from "./dates";
import type { DatePrecision } from "./vocabulary";

export interface TimelineEvent {
  key: string;
  /** The day the event counts as: it orders the timeline. */
  date: CalendarDate;
  /** 'month' for a response the record dates only by month: shown as "June 2025". */
  precision: DatePrecision;
  kind: "sent" | "deadline" | "extension" | "response" | "follow-up" | "closed";
  label: string;
  href?: string;
  linkText?: string;
}

interface TimelineInput {
  sentOn: CalendarDate;
  deadline: CalendarDate | null;
  closedOn: CalendarDate | null;
  closedReason: string | null;
  deadlineChanges: Array<{ id: number; newDeadline: CalendarDate; grantedOn: CalendarDate; reason: string | null }>;
  responses: Array<{ id: number; receivedOn: CalendarDate; receivedPrecision?: DatePrecision; from: string; completeness: string }>;
  followUps: Array<{ slug: string; title: string; sentOn: CalendarDate }>;
}

const ORDER: Record<TimelineEvent["kind"], number> = {
  sent: 0,
  extension: 1,
  response: 2,
  "follow-up": 3,
  deadline: 4,
  closed: 5,
};

export function buildTimeline(letter: TimelineInput): TimelineEvent[] {
  const events: TimelineEvent[] = [{ key: "sent", date: letter.sentOn, precision: "day", kind: "sent", label: "Letter sent" }];
  if (letter.deadline) {
    events.push({ key: "deadline", date: letter.deadline, precision: "day", kind: "deadline", label: "Deadline set by the letter" });
  }
  for (const change of letter.deadlineChanges) {
    events.push({
      key: `extension-${change.id}`,
      date: change.grantedOn,
      precision: "day",
      kind: "extension",
      label: `Deadline extended to ${formatDate(change.newDeadline)}${change.reason ? ` (${change.reason})` : ""}`,
    });
  }
  for (const response of letter.responses) {
    events.push({
      key: `response-${response.id}`,
      // A month-only reply sits where it counts: on the month's last day.
      date: response.receivedOn,
      precision: response.receivedPrecision ?? "day",
      kind: "response",
      label: `${response.completeness === "acknowledgment" ? "Acknowledgment" : "Response"} (${response.completeness}) from ${response.from}`,
    });
  }
  for (const followUp of letter.followUps) {
    events.push({
      key: `follow-up-${followUp.slug}`,
      date: followUp.sentOn,
      precision: "day",
      kind: "follow-up",
      label: "Follow-up letter sent:",
      href: `/letters/${followUp.slug}`,
      linkText: followUp.title,
    });
  }
  if (letter.closedOn) {
    events.push({
      key: "closed",
      date: letter.closedOn,
      precision: "day",
      kind: "closed",
      label: `Closed${letter.closedReason ? `: ${letter.closedReason}` : ""}`,
    });
  }
  return events.sort((a, b) => a.date.localeCompare(b.date) || ORDER[a.kind] - ORDER[b.kind]);
}
