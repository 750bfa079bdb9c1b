/**
 * The durable outbox (decision 0016). Messages are rows written whole, Message-ID included, before
 * the first try; events become messages here:
 * - fanOutEvents: each new letter event is matched to the confirmed follows it concerns (the
 *   letter and the letters it follows up, its agencies and their parents, its senders, its
 *   committee and its parent, its topics, saved searches that select it), one delivery per
 *   (follow, event); an "as it happens" follower's alert is written in the same transaction.
 * - writeDueDigests: a daily or weekly follower's waiting deliveries become one digest per period.
 * - claim / record: the sender (app/utils/mail-sender.server.ts) takes the next due message and
 *   records the server's answer, or the failure and when to try again, or that it gave up.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { getDb, type Db, type DbOrTx } from "../../db/client.server";
import { env } from "~/env.server";
import type { SelectionFilters } from "~/domain/filters";
import { parseLetterFilters, parseQuestionFilters } from "~/domain/filters";
import { latestDigestSlot, nextAttemptAt, signToken, type DigestSlot } from "~/domain/follows";
import { alertMessage, digestMessage, digestRenderer, type EventForMail, type FollowForMail, type RenderedMessage } from "~/domain/mail-messages";
import { today } from "~/domain/dates";
import type { Cadence, FollowSubjectKind, LetterEventKind, MessageKind, OutboxState } from "~/domain/vocabulary";
import { and as allOf, letterTextMatchSql, selectionWhereSql } from "./selection.server";
import { tokenKey, trackerTimeZone } from "./follows.server";

/** The host part of Message-IDs: the site's own, so they are unique to it. */
function messageIdHost(): string {
  try {
    return new URL(env.PUBLIC_URL).hostname || "localhost";
  } catch {
    return "localhost";
  }
}

export function enqueueMessage(
  tx: DbOrTx,
  { kind, followId, to, message, dedupeKey, headers = {}, now = Date.now() }: { kind: MessageKind; followId: number | null; to: string; message: RenderedMessage; dedupeKey: string; headers?: Record<string, string>; now?: number },
): number | null {
  const messageId = `<${randomUUID()}@${messageIdHost()}>`;
  const row = tx.get<{ id: number }>(sql`
    INSERT INTO outbox (kind, follow_id, to_address, subject, text_body, html_body, headers, message_id, dedupe_key, next_attempt_at, created_at)
    VALUES (${kind}, ${followId}, ${to}, ${message.subject}, ${message.text}, ${message.html}, ${JSON.stringify(headers)}, ${messageId}, ${dedupeKey}, ${now}, ${now})
    ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`);
  return row?.id ?? null;
}

interface FollowRow {
  id: number;
  email: string;
  secret: string;
  subjectKind: FollowSubjectKind;
  subjectKey: string;
  subjectLabel: string;
  cadence: Cadence;
  digestHour: number;
  digestWeekday: number;
  confirmedAt: number | null;
  lastDigestAt: number | null;
}

const followColumns = sql`f.id, f.email, f.secret, f.subject_kind AS subjectKind, f.subject_key AS subjectKey,
  f.subject_label AS subjectLabel, f.cadence, f.digest_hour AS digestHour, f.digest_weekday AS digestWeekday,
  f.confirmed_at AS confirmedAt, f.last_digest_at AS lastDigestAt`;

/** The List-Unsubscribe headers (RFC 2369, RFC 8058 one-click) and the link, for a follow's message. */
function unsubscribeParts(follow: FollowRow, now: number): { url: string; manageUrl: string; headers: Record<string, string> } {
  const token = signToken({ key: tokenKey(), followId: follow.id, followSecret: follow.secret, purpose: "unsubscribe", now });
  const url = `${env.PUBLIC_URL}/unsubscribe?token=${encodeURIComponent(token)}`;
  // "Manage your alerts" (decision 0020): every follow of this address, signed, expiring.
  const manage = signToken({ key: tokenKey(), followId: follow.id, followSecret: follow.secret, purpose: "manage", now });
  const manageUrl = `${env.PUBLIC_URL}/follows/manage?token=${encodeURIComponent(manage)}`;
  return { url, manageUrl, headers: { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } };
}

const forMail = (follow: FollowRow): FollowForMail => ({ subjectKind: follow.subjectKind, subjectKey: follow.subjectKey, subjectLabel: follow.subjectLabel, cadence: follow.cadence });

interface EventRow {
  id: number;
  kind: LetterEventKind;
  letterId: number;
  letterSlug: string;
  letterTitle: string;
  at: number;
  details: string;
}

const toEventForMail = (row: EventRow): EventForMail => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> });

/**
 * The live follows (confirmed before the event, not unsubscribed) an event on a letter concerns,
 * with an id above `after`, at most `limit` of them, in id order (bounded batches, decision 0022).
 */
function followsOfEvent(
  tx: DbOrTx,
  event: EventRow,
  { after = 0, limit = Number.MAX_SAFE_INTEGER }: { after?: number; limit?: number } = {},
): { follows: FollowRow[]; done: boolean; cursor: number } {
  const live = sql`f.confirmed_at IS NOT NULL AND f.confirmed_at <= ${event.at} AND f.unsubscribed_at IS NULL AND f.id > ${after}`;
  // What the event is about, first (a handful of rows), then the follows of those: one query
  // would let SQLite walk the follows by id and work the subjects out again for each of them.
  const subjects = tx.all<{ kind: string; key: string }>(sql`
    WITH RECURSIVE chain(id) AS (
      SELECT ${event.letterId} UNION SELECT l.follows_up_id FROM letters l JOIN chain ON l.id = chain.id WHERE l.follows_up_id IS NOT NULL
    ),
    agency_up(id) AS (
      SELECT agency_id FROM letter_recipients WHERE letter_id = ${event.letterId} AND agency_id IS NOT NULL
      UNION SELECT a.parent_id FROM agencies a JOIN agency_up ON a.id = agency_up.id WHERE a.parent_id IS NOT NULL
    ),
    committee_up(id) AS (
      SELECT committee_id FROM letters WHERE id = ${event.letterId} AND committee_id IS NOT NULL
      UNION SELECT c.parent_id FROM committees c JOIN committee_up ON c.id = committee_up.id WHERE c.parent_id IS NOT NULL
    ),
    subjects(kind, key) AS (
      SELECT 'letter', ${event.letterSlug}
      UNION SELECT 'letter', l.slug FROM letters l JOIN chain ON l.id = chain.id
      -- Follows made at a letter's earlier address (it was renamed since) still hear about it.
      UNION SELECT 'letter', former.slug FROM letter_former_slugs former JOIN chain ON former.letter_id = chain.id
      UNION SELECT 'agency', a.slug FROM agencies a JOIN agency_up ON a.id = agency_up.id
      UNION SELECT 'committee', c.slug FROM committees c JOIN committee_up ON c.id = committee_up.id
      UNION SELECT 'member', m.slug FROM letter_senders s JOIN members m ON m.id = s.member_id WHERE s.letter_id = ${event.letterId}
      UNION SELECT 'topic', t.slug FROM letter_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.letter_id = ${event.letterId}
    )
    SELECT DISTINCT kind, key FROM subjects`);
  const direct = tx.all<FollowRow>(sql`
    SELECT ${followColumns} FROM follows f
    WHERE (${sql.join(subjects.map((subject) => sql`(f.subject_kind = ${subject.kind} AND f.subject_key = ${subject.key})`), sql` OR `)}) AND ${live}
    ORDER BY f.id LIMIT ${limit}`);
  const searches = tx.all<FollowRow>(sql`SELECT ${followColumns} FROM follows f WHERE f.subject_kind = 'search' AND ${live} ORDER BY f.id LIMIT ${limit}`);
  const matches = new Map<string, boolean>();
  const found = searches.filter((follow) => {
    let hit = matches.get(follow.subjectKey);
    if (hit === undefined) {
      hit = letterInSearch(tx, event.letterId, follow.subjectKey);
      matches.set(follow.subjectKey, hit);
    }
    return hit;
  });
  // The cursor moves past what was examined, matching or not: saved searches are read `limit` at
  // a time and tested after, so a batch of 500 searches none of which matched is progress, not the
  // end (the 501st, matching, was never tested). A list that came back full may have more beyond
  // its last id; the step covers ids up to the smaller such end, and the next step goes on from it.
  const fullEnds = [direct, searches].filter((list) => list.length >= limit).map((list) => list.at(-1)!.id);
  const done = fullEnds.length === 0;
  const cursor = done ? Math.max(after, ...direct.map((f) => f.id), ...searches.map((f) => f.id)) : Math.min(...fullEnds);
  const follows = [...direct, ...found].filter((follow) => follow.id <= cursor).sort((a, b) => a.id - b.id);
  return { follows, done, cursor };
}

/** Whether a saved search (a /letters or /questions address) selects the letter, as of today. */
export function letterInSearch(tx: DbOrTx, letterId: number, address: string): boolean {
  const url = new URL(address, "http://tracker.invalid");
  const filters: SelectionFilters = url.pathname === "/questions" ? parseQuestionFilters(url.searchParams).filters : parseLetterFilters(url.searchParams).filters;
  const conditions = [sql`l.id = ${letterId}`, ...selectionWhereSql(filters, today()), letterTextMatchSql(filters.q)];
  return tx.get(sql`SELECT 1 AS hit FROM letters l WHERE ${allOf(conditions)}`) !== undefined;
}

/** What the fan-out did, transaction by transaction (tests and the bench check its bounds). */
export interface FanOutStats {
  transactions: number;
  /** The most rows (deliveries or messages) one transaction wrote. */
  maxRowsPerTransaction: number;
  deliveries: number;
  alerts: number;
}

export const newFanOutStats = (): FanOutStats => ({ transactions: 0, maxRowsPerTransaction: 0, deliveries: 0, alerts: 0 });

/** Follows given their deliveries in one transaction, and follows given their alerts in one. */
export const FOLLOWS_PER_TRANSACTION = 500;
export const ALERTS_PER_TRANSACTION = 100;

/**
 * One bounded step of the fan-out, in one immediate transaction (decision 0022). While an event
 * waits: the next FOLLOWS_PER_TRANSACTION of its live follows get their delivery (the event's
 * `fan_cursor` keeps the place; the event is done when a batch comes up short). When none waits:
 * up to ALERTS_PER_TRANSACTION "as it happens" followers with waiting deliveries get their alerts,
 * one message per cause (one import file, one daily overdue pass; single changes together), so an
 * import of 40 letters is one message, not 40. Returns whether it did anything.
 */
export function fanOutStep({ now = Date.now(), followBatch = FOLLOWS_PER_TRANSACTION, alertBatch = ALERTS_PER_TRANSACTION, stats }: { now?: number; followBatch?: number; alertBatch?: number; stats?: FanOutStats } = {}): boolean {
  const step = getDb().transaction(
    (tx): { did: boolean; rows: number } => {
      const event = tx.get<EventRow & { fanCursor: number }>(sql`
        SELECT id, kind, letter_id AS letterId, letter_slug AS letterSlug, letter_title AS letterTitle, at, details, fan_cursor AS fanCursor
        FROM letter_events WHERE fanned_out = 0 ORDER BY id LIMIT 1`);
      if (event) {
        // With no live follow at all, every waiting event is done at once (an import's thousands too).
        const anyFollow = tx.get(sql`SELECT 1 AS one FROM follows WHERE confirmed_at IS NOT NULL AND unsubscribed_at IS NULL LIMIT 1`);
        if (!anyFollow) {
          tx.run(sql`UPDATE letter_events SET fanned_out = 1 WHERE fanned_out = 0`);
          return { did: true, rows: 0 };
        }
        const { follows, done, cursor } = followsOfEvent(tx, event, { after: event.fanCursor, limit: followBatch });
        for (const follow of follows) {
          tx.run(sql`INSERT INTO follow_deliveries (follow_id, event_id) VALUES (${follow.id}, ${event.id}) ON CONFLICT DO NOTHING`);
        }
        tx.run(sql`UPDATE letter_events SET fan_cursor = ${cursor}, fanned_out = ${done ? 1 : 0} WHERE id = ${event.id}`);
        if (stats) stats.deliveries += follows.length;
        return { did: true, rows: follows.length };
      }
      const alerts = writeAlerts(tx, { now, limit: alertBatch, stats });
      return { did: alerts > 0, rows: alerts };
    },
    { behavior: "immediate" },
  );
  if (step.did && stats) {
    stats.transactions += 1;
    stats.maxRowsPerTransaction = Math.max(stats.maxRowsPerTransaction, step.rows);
  }
  return step.did;
}

/** The alerts of up to `limit` "as it happens" followers with waiting deliveries: one message per (follower, cause). */
function writeAlerts(tx: DbOrTx, { now, limit, stats }: { now: number; limit: number; stats?: FanOutStats }): number {
  const follows = tx.all<FollowRow>(sql`
    SELECT ${followColumns} FROM follows f
    WHERE f.id IN (SELECT follow_id FROM follow_deliveries WHERE outbox_id IS NULL)
      AND f.cadence = 'immediate' AND f.unsubscribed_at IS NULL AND f.confirmed_at IS NOT NULL
    ORDER BY f.id LIMIT ${limit}`);
  let written = 0;
  for (const follow of follows) {
    const events = tx.all<EventRow & { cause: string | null }>(sql`
      SELECT e.id, e.kind, e.letter_id AS letterId, e.letter_slug AS letterSlug, e.letter_title AS letterTitle, e.at, e.details, e.cause
      FROM follow_deliveries d JOIN letter_events e ON e.id = d.event_id
      WHERE d.follow_id = ${follow.id} AND d.outbox_id IS NULL ORDER BY e.id`);
    const byCause = new Map<string, typeof events>();
    for (const event of events) {
      const key = event.cause ?? "";
      byCause.set(key, [...(byCause.get(key) ?? []), event]);
    }
    for (const group of byCause.values()) {
      const unsubscribe = unsubscribeParts(follow, now);
      const forMailEvents = group.map(toEventForMail);
      const message =
        group.length === 1
          ? alertMessage({ publicUrl: env.PUBLIC_URL, follow: forMail(follow), event: forMailEvents[0]!, unsubscribeUrl: unsubscribe.url, manageUrl: unsubscribe.manageUrl })
          : digestMessage({ publicUrl: env.PUBLIC_URL, follow: forMail(follow), events: forMailEvents, unsubscribeUrl: unsubscribe.url, manageUrl: unsubscribe.manageUrl });
      // One message per (follow, first event): its deliveries are all or none in it.
      const dedupeKey = `alert:${follow.id}:${group[0]!.id}`;
      const outboxId =
        enqueueMessage(tx, { kind: "alert", followId: follow.id, to: follow.email, message, headers: unsubscribe.headers, dedupeKey, now }) ??
        tx.get<{ id: number }>(sql`SELECT id FROM outbox WHERE dedupe_key = ${dedupeKey}`)!.id;
      tx.run(sql`UPDATE follow_deliveries SET outbox_id = ${outboxId} WHERE follow_id = ${follow.id} AND outbox_id IS NULL AND event_id IN (${sql.join(group.map((e) => sql`${e.id}`), sql`, `)})`);
      written += 1;
    }
  }
  if (stats) stats.alerts += written;
  return written;
}

/**
 * Runs fan-out steps (each its own short transaction) until nothing is left or `limit` steps ran.
 * Returns the steps that did something: call it again while it returns more than 0.
 */
export function fanOutEvents({ limit = 100, now = Date.now(), followBatch, alertBatch, stats }: { limit?: number; now?: number; followBatch?: number; alertBatch?: number; stats?: FanOutStats } = {}): number {
  let steps = 0;
  while (steps < limit && fanOutStep({ now, followBatch, alertBatch, stats })) steps += 1;
  return steps;
}

/** Whether the fan-out has anything to do (a cheap look before starting the writer thread). */
export function fanOutPending(): boolean {
  return (
    getDb().get(sql`
      SELECT 1 AS one WHERE EXISTS (SELECT 1 FROM letter_events WHERE fanned_out = 0)
        OR EXISTS (SELECT 1 FROM follow_deliveries d JOIN follows f ON f.id = d.follow_id
          WHERE d.outbox_id IS NULL AND f.cadence = 'immediate' AND f.unsubscribed_at IS NULL)`) !== undefined
  );
}

/** Waiting daily and weekly follows looked at per digest step (each step is one transaction). */
export const DIGEST_FOLLOWS_PER_STEP = 50;

/**
 * What the steps of one pass over the due digests share: each schedule's latest slot (a few dozen
 * schedules among thousands of followers) and each distinct digest's rendering. Changes are never
 * edited once recorded, so a rendering for the same subject and changes holds for the whole pass.
 */
export interface DigestPass {
  slots: Map<string, DigestSlot | null>;
  renderers: Map<string, ReturnType<typeof digestRenderer>>;
}

export const newDigestPass = (): DigestPass => ({ slots: new Map(), renderers: new Map() });

/** The digest's writes, prepared once per connection (thousands of digests a day run them). */
const digestStatements = new WeakMap<object, ReturnType<typeof prepareDigestStatements>>();
function prepareDigestStatements(client: Db["$client"]) {
  return {
    insert: client.prepare<[string, number, string, string, string, string, string, string, string, number, number], { id: number }>(`
      INSERT INTO outbox (kind, follow_id, to_address, subject, text_body, html_body, headers, message_id, dedupe_key, next_attempt_at, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`),
    deliver: client.prepare<[number, number, number]>(`UPDATE follow_deliveries SET outbox_id = ? WHERE follow_id = ? AND event_id = ? AND outbox_id IS NULL`),
    stamp: client.prepare<[number, number]>(`UPDATE follows SET last_digest_at = ? WHERE id = ?`),
  };
}

/** Which follows of one digest step are due (writeDueDigestsStep), read on `tx`: no writes. */
function dueInStep(
  tx: DbOrTx,
  { at, after, batch, limit, pass, zone }: { at: number; after: number; batch: number; limit: number; pass: DigestPass; zone: string },
): { due: Array<{ follow: FollowRow; period: string }>; cursor: number; done: boolean } {
  // The next live daily and weekly follows with waiting deliveries, by the partial index of those
  // (nothing to read on the many turns when none waits). Only live digest follows: the deliveries
  // an unsubscribed follower left unsent stay unsent for good, and each step over them was a write
  // transaction and a lease renewal on every turn, forever.
  const ids = tx
    .all<{ id: number }>(sql`
      SELECT DISTINCT d.follow_id AS id FROM follow_deliveries d INDEXED BY follow_deliveries_unsent_idx
      JOIN follows f ON f.id = d.follow_id
      WHERE d.outbox_id IS NULL AND d.follow_id > ${after}
        AND f.cadence <> 'immediate' AND f.unsubscribed_at IS NULL AND f.confirmed_at IS NOT NULL
      ORDER BY d.follow_id LIMIT ${batch}`)
    .map((row) => row.id);
  const waiting = ids.length
    ? tx.all<FollowRow>(sql`
        SELECT ${followColumns} FROM follows f
        WHERE f.id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})
          AND f.cadence <> 'immediate' AND f.unsubscribed_at IS NULL AND f.confirmed_at IS NOT NULL
        ORDER BY f.id`)
    : [];
  const due: Array<{ follow: FollowRow; period: string }> = [];
  // The cursor moves past every id read, digest or not; when `limit` stops the step early, only
  // past the last follow given one (the next step looks at the rest).
  let cursor = ids.at(-1) ?? after;
  let stoppedEarly = false;
  for (const follow of waiting) {
    if (due.length >= limit) {
      stoppedEarly = true;
      break;
    }
    const schedule = { cadence: follow.cadence, hour: follow.digestHour, weekday: follow.digestWeekday };
    const scheduleKey = `${schedule.cadence}:${schedule.hour}:${schedule.weekday}`;
    let slot = pass.slots.get(scheduleKey);
    if (slot === undefined) pass.slots.set(scheduleKey, (slot = latestDigestSlot(schedule, at, zone)));
    // dueDigestPeriod, its slot shared: due once the slot has come since the last digest.
    const since = follow.lastDigestAt ?? follow.confirmedAt;
    if (slot && (since === null || slot.at > since)) due.push({ follow, period: slot.period });
  }
  if (stoppedEarly) cursor = due.at(-1)?.follow.id ?? after;
  const done = !stoppedEarly && ids.length < batch;
  return { due, cursor, done };
}

/**
 * One bounded step of writing the digests that are due at `now`, in one immediate transaction
 * (taken only when a read without it finds one due): the next `follows` live daily or weekly
 * follows after id `after` with waiting deliveries; those whose
 * digest is due (their chosen hour, and weekday, in the tracker's time zone has come since their
 * last digest or their confirmation: dueDigestPeriod, decision 0025) get one digest for the period,
 * at most `limit` of them. Set-based: one read of the follows, one of all their waiting changes, and
 * one rendering per distinct (subject, changes) in the pass, each follower's own signed links added
 * to it. Returns what it wrote, the last follow id it looked at, and whether none is left after it.
 */
export function writeDueDigestsStep({
  now = new Date(),
  after = 0,
  follows: batch = DIGEST_FOLLOWS_PER_STEP,
  limit = Number.MAX_SAFE_INTEGER,
  pass = newDigestPass(),
}: { now?: Date; after?: number; follows?: number; limit?: number; pass?: DigestPass } = {}): { written: number; cursor: number; done: boolean } {
  const zone = trackerTimeZone();
  const at = now.getTime();
  const db = getDb();
  let statements = digestStatements.get(db.$client);
  if (!statements) digestStatements.set(db.$client, (statements = prepareDigestStatements(db.$client)));
  const { insert, deliver, stamp } = statements;
  const host = messageIdHost();
  const step = { at, after, batch, limit, pass, zone };
  // Looked at first without the write lock: on most turns none of the waiting follows is due (their
  // deliveries wait all day for their hour), and a write transaction per step for nothing held up
  // every other writer (10,000 waiting followers: 200 of them and 200 lease renewals every turn).
  const probe = dueInStep(db, step);
  if (probe.due.length === 0) return { written: 0, cursor: probe.cursor, done: probe.done };
  return db.transaction(
    (tx) => {
      const { due, cursor, done } = dueInStep(tx, step);
      if (due.length === 0) return { written: 0, cursor, done };
      // Every waiting change of these follows at once; a change is read (its details parsed) once.
      const rows = tx.all<EventRow & { followId: number }>(sql`
        SELECT d.follow_id AS followId, e.id, e.kind, e.letter_id AS letterId, e.letter_slug AS letterSlug, e.letter_title AS letterTitle, e.at, e.details
        FROM follow_deliveries d JOIN letter_events e ON e.id = d.event_id
        WHERE d.outbox_id IS NULL AND d.follow_id IN (${sql.join(due.map(({ follow }) => sql`${follow.id}`), sql`, `)})
        ORDER BY d.follow_id, e.at, e.id`);
      const parsed = new Map<number, EventForMail>();
      const eventsOf = new Map<number, EventForMail[]>();
      for (const row of rows) {
        let event = parsed.get(row.id);
        if (!event) parsed.set(row.id, (event = toEventForMail(row)));
        const list = eventsOf.get(row.followId);
        if (list) list.push(event);
        else eventsOf.set(row.followId, [event]);
      }
      let written = 0;
      for (const { follow, period } of due) {
        const events = eventsOf.get(follow.id);
        if (!events || events.length === 0) continue;
        const content = JSON.stringify([follow.subjectKind, follow.subjectKey, follow.subjectLabel, follow.cadence, events.map((event) => event.id)]);
        let render = pass.renderers.get(content);
        if (!render) pass.renderers.set(content, (render = digestRenderer({ publicUrl: env.PUBLIC_URL, follow: forMail(follow), events })));
        const unsubscribe = unsubscribeParts(follow, at);
        const message = render({ unsubscribeUrl: unsubscribe.url, manageUrl: unsubscribe.manageUrl });
        // enqueueMessage's row, through the prepared statement.
        const row = insert.get(
          "digest",
          follow.id,
          follow.email,
          message.subject,
          message.text,
          message.html,
          JSON.stringify(unsubscribe.headers),
          `<${randomUUID()}@${host}>`,
          `digest:${follow.id}:${period}`,
          at,
          at,
        );
        // A digest for this period was written already: the rest wait for the next one.
        if (!row) continue;
        for (const event of events) deliver.run(row.id, follow.id, event.id);
        stamp.run(at, follow.id);
        written += 1;
      }
      return { written, cursor, done };
    },
    { behavior: "immediate" },
  );
}

/**
 * Writes the digests that are due at `now` (one per follow and period), at most `limit`, step by
 * step (writeDueDigestsStep); the sender runs the steps itself, yielding to the event loop between them.
 */
export function writeDueDigests({ now = new Date(), limit = 100 }: { now?: Date; limit?: number } = {}): number {
  let written = 0;
  let after = 0;
  const pass = newDigestPass();
  while (written < limit) {
    const step = writeDueDigestsStep({ now, after, limit: limit - written, pass });
    written += step.written;
    after = step.cursor;
    if (step.done) break;
  }
  return written;
}

export interface OutboxMessage {
  id: number;
  kind: MessageKind;
  followId: number | null;
  dedupeKey: string;
  toAddress: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  headers: Record<string, string>;
  messageId: string;
  attempts: number;
  createdAt: number;
}

/** The next message due at `now`, if any (one sender at a time holds the lease, so no claim row). */
export function nextDueMessage(now = Date.now()): OutboxMessage | null {
  return nextDueMessages(now, 1)[0] ?? null;
}

/** The next `limit` messages due at `now`, in the order they are due (one sender holds the lease). */
export function nextDueMessages(now = Date.now(), limit = 1): OutboxMessage[] {
  const rows = getDb().all<Omit<OutboxMessage, "headers"> & { headers: string }>(sql`
    SELECT id, kind, follow_id AS followId, dedupe_key AS dedupeKey, to_address AS toAddress, subject, text_body AS textBody, html_body AS htmlBody, headers,
      message_id AS messageId, attempts, created_at AS createdAt
    FROM outbox WHERE state = 'queued' AND next_attempt_at <= ${now} ORDER BY next_attempt_at, id LIMIT ${limit}`);
  return rows.map((row) => ({ ...row, headers: JSON.parse(row.headers) as Record<string, string> }));
}

/**
 * Why a follower's message waiting in the outbox must not go out now, or null: an alert or digest
 * whose follow was stopped (unsubscribing cancels them at once; this catches any written in a race
 * with it), a confirmation of a follow confirmed since by another one. Checked just before each try.
 */
export function followMessageNoLongerDue(message: Pick<OutboxMessage, "kind" | "followId">): string | null {
  if (message.kind !== "alert" && message.kind !== "digest" && message.kind !== "confirm") return null;
  // No follow named (written so by hand or by a test): nothing to check it against.
  if (message.followId === null) return null;
  const follow = getDb().get<{ confirmedAt: number | null; unsubscribedAt: number | null }>(sql`
    SELECT confirmed_at AS confirmedAt, unsubscribed_at AS unsubscribedAt FROM follows WHERE id = ${message.followId}`);
  if (!follow) return message.kind === "confirm" ? null : "the follow was removed";
  if (message.kind === "confirm") return follow.confirmedAt !== null && follow.unsubscribedAt === null ? "the follow was confirmed already" : null;
  if (follow.unsubscribedAt !== null) return "the follower unsubscribed";
  if (follow.confirmedAt === null) return "the follow is not confirmed";
  return null;
}

/** Not sent, for the reason given (shown to admins); only a message still waiting. */
export function cancelMessage(id: number, reason: string): void {
  getDb().run(sql`UPDATE outbox SET state = 'cancelled', last_error = ${`Cancelled: ${reason}`.slice(0, 1000)} WHERE id = ${id} AND state = 'queued'`);
}

/** Notes a try before it is made: a crash mid-send still counts it (and the retry reuses the Message-ID). */
export function noteAttempt(id: number, now = Date.now()): number {
  return getDb().get<{ attempts: number }>(sql`
    UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ${nextAttemptAt(1, now) ?? now} WHERE id = ${id} RETURNING attempts`)!.attempts;
}

/** noteAttempt for a group about to be sent together, in one transaction: each message's tries so far. */
export function noteAttempts(ids: number[], now = Date.now()): Map<number, number> {
  const attempts = new Map<number, number>();
  getDb().transaction(
    () => {
      for (const id of ids) attempts.set(id, noteAttempt(id, now));
    },
    { behavior: "immediate" },
  );
  return attempts;
}

/** The answer to one try: the server's response, or the failure (with the tries so far). */
export type SendOutcome = { id: number; response: string } | { id: number; error: string; attempts: number; permanent: boolean };

/** The answers to a group's tries, recorded in one transaction (recordSent or recordFailure each). */
export function recordOutcomes(outcomes: SendOutcome[], now = Date.now()): void {
  getDb().transaction(
    () => {
      for (const outcome of outcomes) {
        if ("response" in outcome) recordSent(outcome.id, outcome.response, now);
        else recordFailure(outcome.id, { error: outcome.error, attempts: outcome.attempts, permanent: outcome.permanent, now });
      }
    },
    { behavior: "immediate" },
  );
}

export function recordSent(id: number, response: string, now = Date.now()): void {
  getDb().run(sql`UPDATE outbox SET state = 'sent', sent_at = ${now}, last_response = ${response.slice(0, 1000)}, last_error = NULL WHERE id = ${id}`);
}

/** A failed try: tried again later with a growing wait, or given up (permanent, or too many tries). */
export function recordFailure(id: number, { error, attempts, permanent, now = Date.now() }: { error: string; attempts: number; permanent: boolean; now?: number }): OutboxState {
  const next = permanent ? null : nextAttemptAt(attempts, now);
  if (next === null) {
    const reason = permanent ? `Refused by the mail server: ${error}` : `Gave up after ${attempts} tries; last: ${error}`;
    getDb().run(sql`UPDATE outbox SET state = 'failed', last_error = ${reason.slice(0, 1000)} WHERE id = ${id}`);
    return "failed";
  }
  getDb().run(sql`UPDATE outbox SET next_attempt_at = ${next}, last_error = ${error.slice(0, 1000)} WHERE id = ${id}`);
  return "queued";
}

export interface OutboxListRow {
  id: number;
  kind: MessageKind;
  toAddress: string;
  subject: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  lastResponse: string | null;
  sentAt: number | null;
  createdAt: number;
  messageId: string;
}

/** The newest messages, for admins (/admin/outbox). */
export function listOutbox({ limit = 200, state }: { limit?: number; state?: OutboxState } = {}): OutboxListRow[] {
  return getDb().all<OutboxListRow>(sql`
    SELECT id, kind, to_address AS toAddress, subject, state, attempts, next_attempt_at AS nextAttemptAt, last_error AS lastError,
      last_response AS lastResponse, sent_at AS sentAt, created_at AS createdAt, message_id AS messageId
    FROM outbox ${state ? sql`WHERE state = ${state}` : sql``} ORDER BY id DESC LIMIT ${limit}`);
}
