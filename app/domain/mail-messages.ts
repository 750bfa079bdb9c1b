/**
 * The words of every message a follower gets (decision 0016), pure: a subject, a plain-text part
 * and an HTML part, each saying why it was sent, what changed with links to it, and how to stop.
 * Links are absolute, from PUBLIC_URL (never from a request's Host header).
 */
import { COMPLETENESS_TERMS, FOLLOW_SUBJECT_TERMS, impliedDeadlineLabel, LETTER_EVENT_TERMS, type Cadence, type FollowSubjectKind, type LetterEventKind } from "./vocabulary";
import { groupByLetter, subjectPath } from "./follows";
import { escapeHtml } from "./html-escape";

export interface EventForMail {
  id: number;
  kind: LetterEventKind;
  letterId: number;
  letterSlug: string;
  letterTitle: string;
  at: number;
  details: Record<string, unknown>;
}

export interface FollowForMail {
  subjectKind: FollowSubjectKind;
  subjectKey: string;
  subjectLabel: string;
  cadence: Cadence;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

const str = (value: unknown) => (typeof value === "string" ? value : value === null || value === undefined ? "" : String(value));

/** One line saying what happened (no letter title: the caller gives it). */
export function eventSentence(event: Pick<EventForMail, "kind" | "details">): string {
  const d = event.details;
  switch (event.kind) {
    case "letter_logged":
      return `Letter logged: sent ${str(d.sentOn)}${d.deadline ? `, deadline ${str(d.deadline)}` : ""}.`;
    case "response_logged": {
      const completeness = COMPLETENESS_TERMS.labelOf(str(d.completeness));
      const answered = Array.isArray(d.questionsAnswered) ? (d.questionsAnswered as number[]) : [];
      const total = typeof d.questionsTotal === "number" ? d.questionsTotal : null;
      const from = d.from ? ` from ${str(d.from)}` : "";
      const questions =
        answered.length > 0
          ? ` It answered question${answered.length === 1 ? "" : "s"} ${answered.join(", ")}${total ? ` of ${total}` : ""}.`
          : total
            ? ` It answered none of the ${total} questions.`
            : "";
      return `Response logged${from}, received ${str(d.receivedOn)}: ${completeness.toLowerCase()}.${questions}`;
    }
    case "deadline_extended":
      return `Deadline extended to ${str(d.newDeadline)}${d.reason ? ` (${str(d.reason)})` : ""}.`;
    case "letter_closed":
      return `Letter closed on ${str(d.closedOn)}${d.reason ? `: ${str(d.reason)}` : ""}.`;
    case "letter_reopened":
      return "Letter reopened.";
    case "follow_up_sent":
      return `Follow-up letter sent on ${str(d.sentOn)}: "${str(d.followUpTitle)}".`;
    case "letter_overdue":
      // A letter that set no deadline was due by default: said as the pages say it (decision 0014).
      if (d.source === "implied") {
        const words = typeof d.defaultDays === "number" && d.defaultDays > 0 ? impliedDeadlineLabel(d.defaultDays) : "no deadline set; due by default";
        return `Overdue: ${words} (${str(d.deadline)}); that day passed without a substantive response.`;
      }
      return `Overdue: the deadline of ${str(d.deadline)} passed without a substantive response.`;
  }
}

function eventLink(publicUrl: string, event: EventForMail): string {
  const slug = event.kind === "follow_up_sent" && event.details.followUpSlug ? str(event.details.followUpSlug) : event.letterSlug;
  return `${publicUrl}/letters/${encodeURIComponent(slug)}`;
}

function why(publicUrl: string, follow: FollowForMail): { text: string; html: string } {
  const kind = FOLLOW_SUBJECT_TERMS.labelOf(follow.subjectKind).toLowerCase();
  const link = `${publicUrl}${subjectPath(follow.subjectKind, follow.subjectKey)}`;
  const often = follow.cadence === "immediate" ? "as it happens" : follow.cadence === "daily" ? "once a day" : "once a week";
  return {
    text: `You get this because you follow the ${kind} "${follow.subjectLabel}" (${link}), ${often}.`,
    html: `You get this because you follow the ${kind} <a href="${escapeHtml(link)}">${escapeHtml(follow.subjectLabel)}</a>, ${often}.`,
  };
}

function footer(unsubscribeUrl: string, manageUrl?: string): { text: string; html: string } {
  return {
    text: [manageUrl ? `Manage your alerts (how often, stop some or all): ${manageUrl}` : null, `Stop these messages (one click): ${unsubscribeUrl}`].filter(Boolean).join("\n"),
    html:
      (manageUrl ? `<p><a href="${escapeHtml(manageUrl)}">Manage your alerts</a> (how often, stop some or all).</p>` : "") +
      `<p><a href="${escapeHtml(unsubscribeUrl)}">Stop these messages</a> (one click, no sign-in).</p>`,
  };
}

/** A fresh link to manage an address's alerts, asked for from an expired one. */
export function manageLinkMessage({ manageUrl }: { manageUrl: string }): RenderedMessage {
  const subject = "Your link to manage your alerts";
  const text = [
    "Someone (we hope you) asked for a link to manage the alerts the Oversight Letter Tracker sends this address.",
    "",
    `Manage your alerts (works for 30 days): ${manageUrl}`,
    "",
    "If it was not you, do nothing: nothing changes without opening the link.",
  ].join("\n");
  const html = page(
    subject,
    `<p>Someone (we hope you) asked for a link to manage the alerts the Oversight Letter Tracker sends this address.</p>` +
      `<p><a href="${escapeHtml(manageUrl)}">Manage your alerts</a> (works for 30 days).</p><p>If it was not you, do nothing: nothing changes without opening the link.</p>`,
  );
  return { subject, text, html };
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:40em">${body}</body></html>`;
}

/**
 * How a confirmation names what is followed. A saved search's words (`q`, up to 1000 characters
 * anyone may type) never go into a message to an address that has not confirmed: a stranger could
 * otherwise make the tracker mail their own words and links to anyone (decision 0020). It is "a
 * saved search of letters" with the names of its filters, and no link carrying the words.
 */
export function confirmationSubject(follow: Pick<FollowForMail, "subjectKind" | "subjectKey" | "subjectLabel">): { name: string; link: string | null } {
  if (follow.subjectKind !== "search") {
    const kind = FOLLOW_SUBJECT_TERMS.labelOf(follow.subjectKind).toLowerCase();
    return { name: `the ${kind} "${follow.subjectLabel}"`, link: subjectPath(follow.subjectKind, follow.subjectKey) };
  }
  const list = follow.subjectKey.startsWith("/questions") ? "questions" : "letters";
  const query = follow.subjectKey.includes("?") ? follow.subjectKey.slice(follow.subjectKey.indexOf("?") + 1) : "";
  const names = [...new Set([...new URLSearchParams(query).keys()].map((name) => SEARCH_FILTER_NAMES[name] ?? "other filters"))];
  return { name: `a saved search of ${list}${names.length ? ` (filtered by ${names.join(", ")})` : ""}`, link: null };
}

const SEARCH_FILTER_NAMES: Readonly<Record<string, string>> = {
  q: "words",
  agency: "agency",
  member: "member",
  committee: "committee",
  tag: "topic",
  status: "status",
  kind: "kind of question",
  sentFrom: "date sent",
  sentTo: "date sent",
};

/** The message asking to confirm a follow: nothing else is sent before it is confirmed. */
export function confirmationMessage({ publicUrl, follow, confirmUrl }: { publicUrl: string; follow: FollowForMail; confirmUrl: string }): RenderedMessage {
  const named = confirmationSubject(follow);
  const link = named.link === null ? null : `${publicUrl}${named.link}`;
  const subject = follow.subjectKind === "search" ? `Confirm: follow ${named.name.replace(/ \(.*$/, "")}` : `Confirm: follow "${follow.subjectLabel}"`;
  const text = [
    `Someone (we hope you) asked the Oversight Letter Tracker to email this address when ${named.name} changes${link ? ` (${link})` : ""}.`,
    "",
    `To confirm, open this link and press Confirm: ${confirmUrl}`,
    "",
    "If it was not you, do nothing: without confirmation you will get no other message from us.",
  ].join("\n");
  const kind = FOLLOW_SUBJECT_TERMS.labelOf(follow.subjectKind).toLowerCase();
  const htmlName = link ? `the ${kind} <a href="${escapeHtml(link)}">${escapeHtml(follow.subjectLabel)}</a>` : escapeHtml(named.name);
  const html = page(
    subject,
    `<p>Someone (we hope you) asked the Oversight Letter Tracker to email this address when ${htmlName} changes.</p>` +
      `<p><a href="${escapeHtml(confirmUrl)}">Confirm that you want these messages</a></p>` +
      `<p>If it was not you, do nothing: without confirmation you will get no other message from us.</p>`,
  );
  return { subject, text, html };
}

/**
 * Instead of a confirmation, when the address already follows the most it may (FOLLOW_LIMITS,
 * counting confirmed follows): nothing was added; stop something first. Sent only to the address
 * itself, throttled as confirmations are, and the requester's answer is the same either way.
 */
export function followLimitMessage({ publicUrl, follow, reached, manageUrl }: { publicUrl: string; follow: FollowForMail; reached: string; manageUrl: string }): RenderedMessage {
  const named = confirmationSubject(follow);
  const link = named.link === null ? null : `${publicUrl}${named.link}`;
  const subject = "Not followed: this address follows the most it may";
  const lines = [
    `Someone (we hope you) asked the Oversight Letter Tracker to email this address when ${named.name} changes${link ? ` (${link})` : ""}.`,
    `This address already follows ${reached}, the most one address may, so nothing was added.`,
  ];
  const text = [...lines, "", `To follow it, stop something else first, then follow again: ${manageUrl}`, "", "If it was not you, do nothing: nothing changed."].join("\n");
  const html = page(
    subject,
    lines.map((line) => `<p>${escapeHtml(line)}</p>`).join("") +
      `<p>To follow it, <a href="${escapeHtml(manageUrl)}">stop something else first</a>, then follow again.</p><p>If it was not you, do nothing: nothing changed.</p>`,
  );
  return { subject, text, html };
}

/** One event, sent as it happens. */
export function alertMessage({ publicUrl, follow, event, unsubscribeUrl, manageUrl }: { publicUrl: string; follow: FollowForMail; event: EventForMail; unsubscribeUrl: string; manageUrl?: string }): RenderedMessage {
  const sentence = eventSentence(event);
  const link = eventLink(publicUrl, event);
  const subject = `${LETTER_EVENT_TERMS.labelOf(event.kind)}: ${event.letterTitle}`;
  const w = why(publicUrl, follow);
  const f = footer(unsubscribeUrl, manageUrl);
  const text = [`${event.letterTitle}`, sentence, `See it: ${link}`, "", w.text, f.text].join("\n");
  const html = page(
    subject,
    `<h1 style="font-size:1.2em"><a href="${escapeHtml(link)}">${escapeHtml(event.letterTitle)}</a></h1><p>${escapeHtml(sentence)}</p><p><a href="${escapeHtml(link)}">See the letter</a></p><hr><p>${w.html}</p>${f.html}`,
  );
  return { subject, text, html };
}

/** Several events, grouped by letter, in a daily or weekly digest. */
export function digestMessage({ publicUrl, follow, events, unsubscribeUrl, manageUrl }: { publicUrl: string; follow: FollowForMail; events: EventForMail[]; unsubscribeUrl: string; manageUrl?: string }): RenderedMessage {
  return digestRenderer({ publicUrl, follow, events })({ unsubscribeUrl, manageUrl });
}

/**
 * A digest's words but for its links (which are signed for each follower): written once for every
 * follower of the same subject with the same changes, so a day's 10,000 digests of a hundred
 * agencies are a few hundred renderings, not 10,000. digestMessage is this with one follower's links.
 */
export function digestRenderer({ publicUrl, follow, events }: { publicUrl: string; follow: FollowForMail; events: EventForMail[] }): (links: { unsubscribeUrl: string; manageUrl?: string }) => RenderedMessage {
  const groups = groupByLetter(events);
  const subject = `${follow.cadence === "weekly" ? "This week" : "Today"}: ${events.length} change${events.length === 1 ? "" : "s"} in "${follow.subjectLabel}"`;
  const w = why(publicUrl, follow);
  const textGroups = groups.map((group) => [group[0]!.letterTitle, ...group.map((event) => `- ${eventSentence(event)}`), `  ${eventLink(publicUrl, group[0]!)}`].join("\n"));
  const htmlGroups = groups.map(
    (group) =>
      `<h2 style="font-size:1.1em"><a href="${escapeHtml(eventLink(publicUrl, group[0]!))}">${escapeHtml(group[0]!.letterTitle)}</a></h2><ul>${group.map((event) => `<li>${escapeHtml(eventSentence(event))}</li>`).join("")}</ul>`,
  );
  const text = [...textGroups, "", w.text].join("\n\n");
  const html = `${htmlGroups.join("")}<hr><p>${w.html}</p>`;
  return ({ unsubscribeUrl, manageUrl }) => {
    const f = footer(unsubscribeUrl, manageUrl);
    return { subject, text: `${text}\n\n${f.text}`, html: page(subject, `${html}${f.html}`) };
  };
}
