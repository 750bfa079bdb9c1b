/**
 * Staff deadline reminders (decision 0020): each staffer's choices, and the pass that writes the
 * reminders due (run by the mail sender on its turns, under its lease; idempotent, so a re-run or a
 * restart writes nothing twice). A reminder is an outbox row whose dedupe_key names (user, letter,
 * deadline, offset); the deadline read is the letter's effective deadline, so extensions (and the
 * implied deadlines to come) are what counts.
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "../../db/client.server";
import { env } from "~/env.server";
import { addCalendarDays, today as todayOf } from "~/domain/dates";
import { signToken, verifyToken } from "~/domain/follows";
import {
  DEFAULT_DAYS_BEFORE,
  dueReminder,
  OVERDUE_GRACE_DAYS,
  parseReminderKey,
  reminderCancelReason,
  reminderHourReached,
  reminderKey,
  reminderMessage,
  type ReminderSettingsForm,
} from "~/domain/reminders";
import type { DeadlineSource, ReminderScope } from "~/domain/vocabulary";
import { defaultResponseDays } from "./letter-state.server";
import { tokenKey } from "./follows.server";
import { enqueueMessage } from "./outbox.server";
import { assertWriteGateOpen } from "~/utils/write-gate.server";

export interface ReminderSettings {
  enabled: boolean;
  scope: ReminderScope;
  committeeSlug: string | null;
  committeeName: string | null;
  daysBefore: number[];
  onOverdue: boolean;
  hour: number;
}

interface SettingsRow {
  userId: number;
  email: string;
  scope: ReminderScope;
  committeeId: number | null;
  committeeSlug: string | null;
  committeeName: string | null;
  daysBefore: string;
  onOverdue: number;
  hour: number;
  secret: string;
  stoppedAt: number | null;
}

const settingsSelect = sql`
  SELECT s.user_id AS userId, u.email, s.scope, s.committee_id AS committeeId, c.slug AS committeeSlug, c.name AS committeeName,
    s.days_before AS daysBefore, s.on_overdue AS onOverdue, s.hour, s.secret, s.stopped_at AS stoppedAt
  FROM staff_reminder_settings s JOIN users u ON u.id = s.user_id LEFT JOIN committees c ON c.id = s.committee_id`;

/** A user's reminder choices; with no row yet, the defaults (off, letters they logged, 7 and 1 days). */
export function reminderSettingsOf(userId: number): ReminderSettings {
  const row = getDb().get<SettingsRow>(sql`${settingsSelect} WHERE s.user_id = ${userId}`);
  if (!row) return { enabled: false, scope: "logged", committeeSlug: null, committeeName: null, daysBefore: [...DEFAULT_DAYS_BEFORE], onOverdue: true, hour: 8 };
  return {
    enabled: row.stoppedAt === null,
    scope: row.scope,
    committeeSlug: row.committeeSlug,
    committeeName: row.committeeName,
    daysBefore: JSON.parse(row.daysBefore) as number[],
    onOverdue: row.onOverdue === 1,
    hour: row.hour,
  };
}

export type SaveResult = { ok: true } | { ok: false; fieldErrors: Record<string, string[]> };

export function saveReminderSettings(userId: number, form: ReminderSettingsForm, now = Date.now()): SaveResult {
  const db = getDb();
  // While an import holds the bulk-write gate: its 503, nothing written (the route gives the form back).
  assertWriteGateOpen(db);
  let committeeId: number | null = null;
  if (form.committee) {
    committeeId = db.get<{ id: number }>(sql`SELECT id FROM committees WHERE slug = ${form.committee}`)?.id ?? null;
    if (committeeId === null) return { ok: false, fieldErrors: { committee: ["Committee: there is no such committee"] } };
  }
  db.run(sql`
    INSERT INTO staff_reminder_settings (user_id, scope, committee_id, days_before, on_overdue, hour, secret, stopped_at, updated_at)
    VALUES (${userId}, ${form.scope}, ${committeeId}, ${JSON.stringify(form.daysBefore)}, ${form.onOverdue ? 1 : 0}, ${form.hour},
      ${randomBytes(16).toString("hex")}, ${form.enabled ? null : now}, ${now})
    ON CONFLICT (user_id) DO UPDATE SET scope = excluded.scope, committee_id = excluded.committee_id, days_before = excluded.days_before,
      on_overdue = excluded.on_overdue, hour = excluded.hour, stopped_at = excluded.stopped_at, updated_at = excluded.updated_at`);
  return { ok: true };
}

function remindersLink(userId: number, secret: string, now: number): string {
  const token = signToken({ key: tokenKey(), followId: userId, followSecret: secret, purpose: "reminders", now });
  return `${env.PUBLIC_URL}/reminders/stop?token=${encodeURIComponent(token)}`;
}

/** The signed link in every reminder: stops them all (works with an expired token too). */
export function stopRemindersByToken(token: string, now = Date.now()): { ok: true } | { ok: false; message: string } {
  const invalid = { ok: false as const, message: "This link is not valid: it may have been cut short. Copy the whole link from the message." };
  const [body] = token.split(".");
  let userId: unknown = null;
  try {
    userId = (JSON.parse(Buffer.from(body ?? "", "base64url").toString("utf8")) as { f?: unknown }).f;
  } catch {
    return invalid;
  }
  if (typeof userId !== "number" || !Number.isInteger(userId)) return invalid;
  const db = getDb();
  const row = db.get<{ secret: string }>(sql`SELECT secret FROM staff_reminder_settings WHERE user_id = ${userId}`);
  if (!row) return invalid;
  const check = verifyToken({ key: tokenKey(), token, followSecret: row.secret, purpose: "reminders", now, allowExpired: true });
  if (!check.ok) return invalid;
  db.transaction(
    (tx) => {
      tx.run(sql`UPDATE staff_reminder_settings SET stopped_at = COALESCE(stopped_at, ${now}) WHERE user_id = ${userId}`);
      // Written and not yet sent: not sent.
      tx.run(sql`UPDATE outbox SET state = 'cancelled', last_error = 'Reminders stopped before it was sent'
        WHERE state = 'queued' AND dedupe_key LIKE ${`reminder:${userId}:%`}`);
    },
    { behavior: "immediate" },
  );
  return { ok: true };
}

interface CandidateRow {
  id: number;
  slug: string;
  title: string;
  deadline: string;
  deadlineSource: DeadlineSource | null;
}

/** The letters (`l`) of a staffer's chosen scope: theirs, their committee's (and its subcommittees'), or all. */
function scopeSql(row: Pick<SettingsRow, "scope" | "userId" | "committeeId">) {
  return row.scope === "logged"
    ? sql`AND EXISTS (SELECT 1 FROM audit_events a WHERE a.letter_id = l.id AND a.action = 'create' AND a.entity = 'letter' AND a.user_id = ${row.userId})`
    : row.scope === "committee"
      ? sql`AND l.committee_id IN (SELECT id FROM committees WHERE id = ${row.committeeId ?? -1} OR parent_id = ${row.committeeId ?? -1})`
      : sql``;
}

/** Open letters without a substantive response whose effective deadline is near `today`, in the user's scope. */
function candidateLetters(tx: DbOrTx, row: SettingsRow, today: string, daysBefore: number[]): CandidateRow[] {
  const latest = addCalendarDays(today, Math.max(0, ...daysBefore));
  const earliest = addCalendarDays(today, -OVERDUE_GRACE_DAYS);
  const scope = scopeSql(row);
  return tx.all<CandidateRow>(sql`
    SELECT l.id, l.slug, l.title, l.effective_deadline AS deadline, l.deadline_source AS deadlineSource FROM letters l
    WHERE l.effective_deadline BETWEEN ${earliest} AND ${latest} AND l.closed_on IS NULL AND l.answer_status IS NULL ${scope}
    ORDER BY l.effective_deadline, l.id`);
}

/**
 * Writes every reminder due at `now` (server time) to the outbox, once per (user, letter, deadline,
 * offset): run it as often as you like. Users whose hour has not come yet today wait. Returns how
 * many reminders it wrote.
 */
export function writeDueReminders({ now = new Date() }: { now?: Date } = {}): number {
  const db = getDb();
  const today = todayOf(now);
  const users = db.all<SettingsRow>(sql`${settingsSelect} WHERE s.stopped_at IS NULL AND u.disabled_at IS NULL ORDER BY s.user_id`);
  let written = 0;
  for (const row of users) {
    if (!reminderHourReached(row.hour, now)) continue;
    const daysBefore = JSON.parse(row.daysBefore) as number[];
    const choice = { daysBefore, onOverdue: row.onOverdue === 1 };
    db.transaction(
      (tx) => {
        for (const letter of candidateLetters(tx, row, today, daysBefore)) {
          const offset = dueReminder(letter.deadline, today, choice);
          if (offset === null) continue;
          // Written already (the usual case on every turn after the first of the day): skip the rendering.
          if (tx.get(sql`SELECT 1 AS one FROM outbox WHERE dedupe_key = ${reminderKey(row.userId, letter.id, letter.deadline, offset)}`)) continue;
          const unsubscribeUrl = remindersLink(row.userId, row.secret, now.getTime());
          const message = reminderMessage({
            letterTitle: letter.title,
            letterUrl: `${env.PUBLIC_URL}/letters/${encodeURIComponent(letter.slug)}`,
            deadline: letter.deadline,
            deadlineSource: letter.deadlineSource,
            impliedDays: defaultResponseDays(),
            offset,
            today,
            scope: row.scope,
            committeeName: row.committeeName,
            settingsUrl: `${env.PUBLIC_URL}/account/reminders`,
            unsubscribeUrl,
          });
          const id = enqueueMessage(tx, {
            kind: "reminder",
            followId: null,
            to: row.email,
            message,
            headers: { "List-Unsubscribe": `<${unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
            dedupeKey: reminderKey(row.userId, letter.id, letter.deadline, offset),
            now: now.getTime(),
          });
          if (id !== null) written += 1;
        }
      },
      { behavior: "immediate" },
    );
  }
  return written;
}

/**
 * Why a reminder waiting in the outbox (`dedupeKey`) must not go out now, or null (also for a
 * message that is no reminder). Checked by the sender just before each try: a reminder held up
 * while the mail server was down is not sent once its account is disabled, its letter deleted,
 * answered, closed, or its deadline moved (an extension gives reminders of their own).
 */
export function reminderNoLongerDue(dedupeKey: string, today: string): string | null {
  const reminder = parseReminderKey(dedupeKey);
  if (!reminder) return null;
  const db = getDb();
  const user = db.get<{ disabledAt: number | null; stoppedAt: number | null; scope: ReminderScope | null; committeeId: number | null; committeeName: string | null }>(sql`
    SELECT u.disabled_at AS disabledAt, s.stopped_at AS stoppedAt, s.scope, s.committee_id AS committeeId, c.name AS committeeName
    FROM users u LEFT JOIN staff_reminder_settings s ON s.user_id = u.id LEFT JOIN committees c ON c.id = s.committee_id WHERE u.id = ${reminder.userId}`);
  const letter = db.get<{ closedOn: string | null; answerStatus: string | null; effectiveDeadline: string | null }>(sql`
    SELECT closed_on AS closedOn, answer_status AS answerStatus, effective_deadline AS effectiveDeadline FROM letters WHERE id = ${reminder.letterId}`);
  // The staffer's scope as it is now (they may have narrowed "all letters" to "letters I logged"
  // since this reminder was written): the same condition as the pass that writes reminders.
  const scope = user?.scope ?? null;
  const inScope =
    scope === null || !letter
      ? true
      : db.get(sql`SELECT 1 AS one FROM letters l WHERE l.id = ${reminder.letterId} ${scopeSql({ scope, userId: reminder.userId, committeeId: user!.committeeId })}`) !== undefined;
  return reminderCancelReason(reminder, {
    today,
    user: user ? { disabled: user.disabledAt !== null, stopped: user.stoppedAt !== null, scope, committeeName: user.committeeName } : null,
    letter: letter ? { closed: letter.closedOn !== null, answered: letter.answerStatus !== null, effectiveDeadline: letter.effectiveDeadline, inScope } : null,
  });
}

/**
 * A reminder waiting in the outbox, worded for the day it is sent (decision 0025): written on the
 * morning of its day, it may leave a day or more later (the mail server was down, retries), and
 * "Deadline in 7 days" must then say 6. The words are rendered again for `sendDay` from the letter
 * and the staffer's settings as they are now, keeping the message's links and Message-ID, and
 * stored before the try, so a retry on the same day sends the very same message. Call it after
 * reminderNoLongerDue (a reminder whose deadline has passed is cancelled there). Returns the words
 * to send, or null for a message that is no reminder.
 */
export function rewordReminderForSending(
  message: { id: number; dedupeKey: string; subject: string; textBody: string; htmlBody: string; headers: Record<string, string> },
  sendDay: string,
): { subject: string; textBody: string; htmlBody: string } | null {
  const reminder = parseReminderKey(message.dedupeKey);
  if (!reminder) return null;
  const db = getDb();
  const letter = db.get<{ slug: string; title: string; deadlineSource: DeadlineSource | null }>(sql`
    SELECT slug, title, deadline_source AS deadlineSource FROM letters WHERE id = ${reminder.letterId}`);
  const settings = db.get<SettingsRow>(sql`${settingsSelect} WHERE s.user_id = ${reminder.userId}`);
  if (!letter || !settings) return null;
  // The stop link it was written with (signed then; stopping works with an expired one too).
  const unsubscribeUrl = /^<([^>]+)>$/.exec(message.headers["List-Unsubscribe"] ?? "")?.[1] ?? remindersLink(settings.userId, settings.secret, Date.now());
  const words = reminderMessage({
    letterTitle: letter.title,
    letterUrl: `${env.PUBLIC_URL}/letters/${encodeURIComponent(letter.slug)}`,
    deadline: reminder.deadline,
    deadlineSource: letter.deadlineSource,
    impliedDays: defaultResponseDays(),
    offset: reminder.offset,
    today: sendDay,
    scope: settings.scope,
    committeeName: settings.committeeName,
    settingsUrl: `${env.PUBLIC_URL}/account/reminders`,
    unsubscribeUrl,
  });
  const fresh = { subject: words.subject, textBody: words.text, htmlBody: words.html };
  if (fresh.subject !== message.subject || fresh.textBody !== message.textBody || fresh.htmlBody !== message.htmlBody) {
    db.run(sql`UPDATE outbox SET subject = ${fresh.subject}, text_body = ${fresh.textBody}, html_body = ${fresh.htmlBody} WHERE id = ${message.id} AND state = 'queued'`);
  }
  return fresh;
}

/** Committees a staffer may choose for "my committee's letters" (name order). */
export function committeeChoices(): Array<{ value: string; label: string }> {
  return getDb().all<{ value: string; label: string }>(sql`SELECT slug AS value, name AS label FROM committees ORDER BY name COLLATE NOCASE`);
}
