/** A letter's events in date order, for its page: sent, deadline, extensions, responses, follow-ups, closing. */
import { formatDate, type CalendarDate } from "./dates";

export interface TimelineEvent {
  key: string;
  date: CalendarDate;
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
  responses: Array<{ id: number; receivedOn: CalendarDate; from: string; completeness: string }>;
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
  const events: TimelineEvent[] = [{ key: "sent", date: letter.sentOn, kind: "sent", label: "Letter sent" }];
  if (letter.deadline) {
    events.push({ key: "deadline", date: letter.deadline, kind: "deadline", label: "Deadline set by the letter" });
  }
  for (const change of letter.deadlineChanges) {
    events.push({
      key: `extension-${change.id}`,
      date: change.grantedOn,
      kind: "extension",
      label: `Deadline extended to ${formatDate(change.newDeadline)}${change.reason ? ` (${change.reason})` : ""}`,
    });
  }
  for (const response of letter.responses) {
    events.push({
      key: `response-${response.id}`,
      date: response.receivedOn,
      kind: "response",
      label: `${response.completeness === "acknowledgment" ? "Acknowledgment" : "Response"} (${response.completeness}) from ${response.from}`,
    });
  }
  for (const followUp of letter.followUps) {
    events.push({
      key: `follow-up-${followUp.slug}`,
      date: followUp.sentOn,
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
      kind: "closed",
      label: `Closed${letter.closedReason ? `: ${letter.closedReason}` : ""}`,
    });
  }
  return events.sort((a, b) => a.date.localeCompare(b.date) || ORDER[a.kind] - ORDER[b.kind]);
}
