/**
 * Following by email without an account (decision 0016): the request (throttled, double opt-in,
 * the same answer whether or not the address already follows), confirming and unsubscribing by
 * signed link. A follower's address is read only to address their own messages.
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { getDb, type Db, type DbOrTx } from "../../db/client.server";
import { env } from "~/env.server";
import { followLimitProblem, followLimitReached, FOLLOW_CLIENT_RULE, FOLLOW_EMAIL_RULE, readToken, savedSearchKey, signToken, TOKEN_LIFETIME_MS, tokenKeySchema, verifyToken, type TokenPurpose } from "~/domain/follows";
import { confirmationMessage, confirmationSubject, followLimitMessage, manageLinkMessage, type FollowForMail } from "~/domain/mail-messages";
import { windowWaitMs } from "~/domain/throttle";
import type { Cadence, FollowSubjectKind } from "~/domain/vocabulary";
import { assertWriteGateOpen } from "~/utils/write-gate.server";
import { appSecret } from "./app-secrets.server";
import { enqueueMessage } from "./outbox.server";

/** The HMAC key of follow links: MAIL_TOKEN_SECRET, or one made once and kept in app_secrets. */
export function tokenKey(db: Db = getDb()): string {
  return tokenKeySchema.parse(env.MAIL_TOKEN_SECRET ?? appSecret("mail-token", db));
}

export function followLink(follow: { id: number; secret: string }, purpose: TokenPurpose, now = Date.now()): string {
  return `${env.PUBLIC_URL}${followPath(follow, purpose, now)}`;
}

/** A follow's signed link as a path on this site (for pages; messages carry the absolute followLink). */
function followPath(follow: { id: number; secret: string }, purpose: TokenPurpose, now: number): string {
  const token = signToken({ key: tokenKey(), followId: follow.id, followSecret: follow.secret, purpose, now });
  const route = purpose === "confirm" ? "/follow/confirm" : purpose === "manage" ? "/follows/manage" : "/unsubscribe";
  return `${route}?token=${encodeURIComponent(token)}`;
}

/** What a follow's subject is called, or null when there is no such thing to follow. */
export function subjectOf(tx: DbOrTx, kind: FollowSubjectKind, key: string): { key: string; label: string } | null {
  const named = (table: string, column = "slug") =>
    tx.get<{ name: string }>(sql`SELECT ${sql.raw(table === "letters" ? "title" : "name")} AS name FROM ${sql.raw(table)} WHERE ${sql.raw(column)} = ${key}`)?.name ?? null;
  let label: string | null = null;
  switch (kind) {
    case "letter":
      label = named("letters");
      break;
    case "agency":
      label = named("agencies");
      break;
    case "member":
      label = named("members");
      break;
    case "committee":
      label = named("committees");
      break;
    case "topic":
      label = named("tags");
      break;
    case "search": {
      const normalized = savedSearchKey(key);
      if (!normalized) return null;
      const query = normalized.includes("?") ? normalized.slice(normalized.indexOf("?") + 1) : "";
      const words = [...new URLSearchParams(query).entries()].map(([name, value]) => `${name}: ${value}`).join(", ");
      const list = normalized.startsWith("/questions") ? "Questions" : "Letters";
      return { key: normalized, label: words ? `${list} (${words})` : `All ${list.toLowerCase()}` };
    }
  }
  return label === null ? null : { key, label };
}

export type FollowRequestResult =
  | { ok: true }
  | { ok: false; fieldErrors: Record<string, string[]>; waitMs?: number };

/**
 * One request that sends mail (a confirmation, a manage link), held to FOLLOW_EMAIL_RULE per
 * address and FOLLOW_CLIENT_RULE per client, and noted in follow_requests; refused with the wait.
 */
function throttledRequest(
  tx: DbOrTx,
  { address, client, now, what }: { address: string; client: string; now: number; what: string },
): { ok: true; requestId: number } | { ok: false; waitMs: number; fieldErrors: Record<string, string[]> } {
  const since = now - Math.max(FOLLOW_EMAIL_RULE.windowMs, FOLLOW_CLIENT_RULE.windowMs);
  tx.run(sql`DELETE FROM follow_requests WHERE at < ${since}`);
  const times = (column: "email" | "client", value: string) =>
    tx.all<{ at: number }>(sql`SELECT at FROM follow_requests WHERE ${sql.raw(column)} = ${value} AND at > ${since}`).map((row) => row.at);
  const waitMs = Math.max(windowWaitMs(times("email", address), now, FOLLOW_EMAIL_RULE), windowWaitMs(times("client", client), now, FOLLOW_CLIENT_RULE));
  if (waitMs > 0) {
    const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
    return { ok: false, waitMs, fieldErrors: { email: [`Email address: too many ${what} from here or for this address. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`] } };
  }
  return { ok: true, requestId: tx.get<{ id: number }>(sql`INSERT INTO follow_requests (email, client, at) VALUES (${address}, ${client}, ${now}) RETURNING id`)!.id };
}

/**
 * Asks to follow `kind`/`key` at `email`. Whether the address is new, waiting for confirmation,
 * unsubscribed or already following, the answer is the same `{ ok: true }`: a confirmation goes out
 * unless it already follows (then nothing is sent). Throttled per address and per client.
 */
export function requestFollow({
  email,
  kind,
  key,
  cadence,
  client,
  now = Date.now(),
}: {
  email: string;
  kind: FollowSubjectKind;
  key: string;
  cadence: Cadence;
  client: string;
  now?: number;
}): FollowRequestResult {
  const db = getDb();
  assertWriteGateOpen(db);
  const address = email.trim().toLowerCase();
  return db.transaction(
    (tx): FollowRequestResult => {
      const subject = subjectOf(tx, kind, key);
      if (!subject) return { ok: false, fieldErrors: { key: ["What to follow: there is no such thing to follow (it may have been renamed or removed)"] } };
      const request = throttledRequest(tx, { address, client, now, what: "requests to follow" });
      if (!request.ok) return request;
      const requestId = request.requestId;
      let follow = tx.get<{ id: number; secret: string; confirmedAt: number | null; unsubscribedAt: number | null }>(sql`
        SELECT id, secret, confirmed_at AS confirmedAt, unsubscribed_at AS unsubscribedAt FROM follows
        WHERE email = ${address} AND subject_kind = ${kind} AND subject_key = ${subject.key}`);
      if (follow && follow.confirmedAt !== null && follow.unsubscribedAt === null) return { ok: true };
      // FOLLOW_LIMITS, counting confirmed follows only (a stranger's unconfirmed requests cannot
      // fill an address). The answer stays the same (no telling whether the address follows
      // anything); the address itself is told, in place of the confirmation.
      const reached = followLimitReached(confirmedFollowCounts(tx, address), kind);
      if (reached) {
        const own = tx.get<{ id: number; secret: string }>(sql`
          SELECT id, secret FROM follows WHERE email = ${address} AND confirmed_at IS NOT NULL AND unsubscribed_at IS NULL ORDER BY id LIMIT 1`)!;
        const message = followLimitMessage({
          publicUrl: env.PUBLIC_URL,
          follow: { subjectKind: kind, subjectKey: subject.key, subjectLabel: subject.label, cadence },
          reached,
          manageUrl: followLink(own, "manage", now),
        });
        enqueueMessage(tx, { kind: "manage", followId: own.id, to: address, message, dedupeKey: `limit:${own.id}:${requestId}`, now });
        return { ok: true };
      }
      if (!follow) {
        follow = tx.get(sql`
          INSERT INTO follows (email, subject_kind, subject_key, subject_label, cadence, secret, created_at)
          VALUES (${address}, ${kind}, ${subject.key}, ${subject.label}, ${cadence}, ${randomBytes(16).toString("hex")}, ${now})
          RETURNING id, secret, confirmed_at AS confirmedAt, unsubscribed_at AS unsubscribedAt`)!;
      } else {
        // Waiting or unsubscribed: it takes the cadence asked now, and confirming starts it again.
        tx.run(sql`UPDATE follows SET cadence = ${cadence}, subject_label = ${subject.label} WHERE id = ${follow.id}`);
      }
      const forMail: FollowForMail = { subjectKind: kind, subjectKey: subject.key, subjectLabel: subject.label, cadence };
      const message = confirmationMessage({ publicUrl: env.PUBLIC_URL, follow: forMail, confirmUrl: followLink(follow, "confirm", now) });
      enqueueMessage(tx, { kind: "confirm", followId: follow.id, to: address, message, dedupeKey: `confirm:${follow.id}:${requestId}`, now });
      return { ok: true };
    },
    { behavior: "immediate" },
  );
}

export interface FollowByToken {
  id: number;
  subjectKind: FollowSubjectKind;
  subjectKey: string;
  subjectLabel: string;
  cadence: Cadence;
  /** The digest's hour and weekday, in the tracker's time zone (decision 0025). */
  digestHour: number;
  digestWeekday: number;
  confirmedAt: number | null;
  unsubscribedAt: number | null;
}

export type TokenLookup = { ok: true; follow: FollowByToken } | { ok: false; message: string };

/** confirmFollow's answer: `confirmedNow` is false when the follow was confirmed and live already. */
export type ConfirmLookup = { ok: true; follow: FollowByToken; confirmedNow: boolean } | { ok: false; message: string };

/** The follow a link names, once its signature, purpose and (but for unsubscribing) expiry hold. */
export function followByToken(token: string, purpose: TokenPurpose, now = Date.now()): TokenLookup {
  const [body] = token.split(".");
  let followId: number | null = null;
  try {
    followId = (JSON.parse(Buffer.from(body ?? "", "base64url").toString("utf8")) as { f?: unknown }).f as number;
  } catch {
    followId = null;
  }
  const invalid = { ok: false as const, message: "This link is not valid: it may have been cut short. Copy the whole link from the message." };
  if (typeof followId !== "number" || !Number.isInteger(followId)) return invalid;
  const row = getDb().get<FollowByToken & { secret: string }>(sql`
    SELECT id, subject_kind AS subjectKind, subject_key AS subjectKey, subject_label AS subjectLabel, cadence,
      digest_hour AS digestHour, digest_weekday AS digestWeekday,
      confirmed_at AS confirmedAt, unsubscribed_at AS unsubscribedAt, secret
    FROM follows WHERE id = ${followId}`);
  if (!row) return invalid;
  const check = verifyToken({ key: tokenKey(), token, followSecret: row.secret, purpose, now, allowExpired: purpose === "unsubscribe" });
  if (!check.ok) {
    return check.reason === "expired"
      ? { ok: false, message: "This confirmation link has expired. Follow again from the page to get a new one." }
      : invalid;
  }
  const { secret: _secret, ...follow } = row;
  return { ok: true, follow };
}

/**
 * The link to the alerts page of a follow's address, for the holder of a valid link of that follow
 * (the confirmation page offers it: how often, the day and the hour are changed there).
 */
export function manageLinkOfFollow(followId: number, now = Date.now()): string | null {
  const row = getDb().get<{ id: number; secret: string }>(sql`SELECT id, secret FROM follows WHERE id = ${followId}`);
  return row ? followPath(row, "manage", now) : null;
}

/**
 * The tracker's time zone: the server's (set TZ to change it), as for "today" (app/domain/dates.ts).
 * Digest hours are in it, and the alerts pages name it (decision 0025).
 */
export function trackerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/**
 * Confirms a follow from its link. The limit check (FOLLOW_LIMITS, counting confirmed follows) and
 * the update are one immediate write transaction, on the follow as it is then: two links of one
 * address pressed at once cannot both pass a limit only one fits under. While an import holds the
 * write gate it throws the gate's 503 (assertWriteGateOpen) and writes nothing; the page catches it
 * (replyToFormWhenGateClosed) and offers the button again.
 */
export function confirmFollow(token: string, now = Date.now()): ConfirmLookup {
  const found = followByToken(token, "confirm", now);
  if (!found.ok) return found;
  const db = getDb();
  assertWriteGateOpen(db);
  return db.transaction(
    (tx): ConfirmLookup => {
      const current = tx.get<{ email: string; confirmedAt: number | null; unsubscribedAt: number | null }>(sql`
        SELECT email, confirmed_at AS confirmedAt, unsubscribed_at AS unsubscribedAt FROM follows WHERE id = ${found.follow.id}`);
      if (!current) return { ok: false, message: "This link is not valid: it may have been cut short. Copy the whole link from the message." };
      const follow = { ...found.follow, confirmedAt: current.confirmedAt, unsubscribedAt: current.unsubscribedAt };
      // A confirmation link from before an unsubscribe (still in the mailbox, within its 7 days) does
      // not start the messages again: only one sent after it, by following again, does.
      const issuedAt = (readToken(token)?.e ?? 0) - TOKEN_LIFETIME_MS.confirm;
      if (follow.unsubscribedAt !== null && issuedAt <= follow.unsubscribedAt) {
        return { ok: false, message: "This address unsubscribed after this link was sent. Follow again from the page to get a new one." };
      }
      // Already confirmed and live: nothing to write (pressing twice is the same as once).
      if (follow.confirmedAt !== null && follow.unsubscribedAt === null) return { ok: true, follow, confirmedNow: false };
      // FOLLOW_LIMITS hold when confirming too: requests are not counted, so many could wait at once.
      const reached = followLimitReached(confirmedFollowCounts(tx, current.email, follow.id), follow.subjectKind);
      if (reached) {
        return { ok: false, message: `This address already follows ${reached}, the most one address may. Stop one with "Manage your alerts" in any message from us, then open this link again.` };
      }
      tx.run(sql`UPDATE follows SET confirmed_at = ${now}, unsubscribed_at = NULL, last_digest_at = ${now} WHERE id = ${follow.id}`);
      return { ok: true, follow: { ...follow, confirmedAt: now, unsubscribedAt: null }, confirmedNow: true };
    },
    { behavior: "immediate" },
  );
}

/** Stops a follow: works with an expired token too, and twice is the same as once. */
export function unsubscribeFollow(token: string, now = Date.now()): TokenLookup {
  const found = followByToken(token, "unsubscribe", now);
  if (!found.ok) return found;
  const db = getDb();
  db.transaction(
    (tx) => {
      tx.run(sql`UPDATE follows SET unsubscribed_at = COALESCE(unsubscribed_at, ${now}) WHERE id = ${found.follow.id}`);
      // What was written for it and not yet sent is not sent.
      tx.run(sql`UPDATE outbox SET state = 'cancelled', last_error = 'Unsubscribed before it was sent' WHERE follow_id = ${found.follow.id} AND state = 'queued' AND kind IN ('alert', 'digest')`);
    },
    { behavior: "immediate" },
  );
  return { ok: true, follow: { ...found.follow, unsubscribedAt: found.follow.unsubscribedAt ?? now } };
}

/** What a subject is called, for the Follow page (null when there is no such thing). */
export function followSubjectLabel(kind: FollowSubjectKind, key: string): { key: string; label: string } | null {
  return subjectOf(getDb(), kind, key);
}

// ---------------------------------------------------------------------------------------------
// Managing one's follows (decision 0020): by a signed "manage" link (anonymous followers) or signed
// in (the follows of the account's address). Every change names the address it acts for, so a
// link or a session reaches that address's follows and never another's.

export interface OwnFollow {
  id: number;
  subjectKind: FollowSubjectKind;
  /** Null for a saved search not confirmed yet: its words may be a stranger's (no link carrying them). */
  subjectKey: string | null;
  subjectLabel: string;
  cadence: Cadence;
  digestHour: number;
  digestWeekday: number;
  confirmed: boolean;
}

/**
 * The follows of an address that are live or waiting for confirmation (not those it stopped). A
 * saved search waiting for confirmation is listed as its confirmation names it ("A saved search of
 * letters (filtered by words)"), without its words or a link carrying them: anyone may ask to follow
 * a search for any address, so until the address confirms it the words are not its owner's
 * (decision 0020 addendum). It can still be stopped from the list.
 */
export function followsOfAddress(email: string): OwnFollow[] {
  return getDb()
    .all<Omit<OwnFollow, "confirmed" | "subjectKey"> & { subjectKey: string; confirmedAt: number | null }>(sql`
      SELECT id, subject_kind AS subjectKind, subject_key AS subjectKey, subject_label AS subjectLabel, cadence,
        digest_hour AS digestHour, digest_weekday AS digestWeekday, confirmed_at AS confirmedAt
      FROM follows WHERE email = ${email.trim().toLowerCase()} AND unsubscribed_at IS NULL ORDER BY subject_kind, subject_label COLLATE NOCASE, id`)
    .map(({ confirmedAt, ...follow }) => {
      if (confirmedAt !== null || follow.subjectKind !== "search") return { ...follow, confirmed: confirmedAt !== null };
      const name = confirmationSubject(follow).name;
      return { ...follow, subjectKey: null, subjectLabel: name.charAt(0).toUpperCase() + name.slice(1), confirmed: false };
    });
}

export type ManageLookup = { ok: true; email: string } | { ok: false; expired: boolean; message: string };

/** The address a manage link is for, once its signature, purpose and expiry hold. */
export function addressByManageToken(token: string, now = Date.now()): ManageLookup {
  const invalid = { ok: false as const, expired: false, message: "This link is not valid: it may have been cut short. Copy the whole link from the message." };
  const payload = readToken(token);
  if (!payload) return invalid;
  const row = getDb().get<{ email: string; secret: string }>(sql`SELECT email, secret FROM follows WHERE id = ${payload.f}`);
  if (!row) return invalid;
  const check = verifyToken({ key: tokenKey(), token, followSecret: row.secret, purpose: "manage", now });
  if (!check.ok) {
    return check.reason === "expired"
      ? { ok: false, expired: true, message: "This link to manage your alerts has expired (they work for 30 days). We can email you a fresh one." }
      : invalid;
  }
  return { ok: true, email: row.email };
}

export type ManageChange = { intent: "cadence"; follow: number; cadence: Cadence; hour?: number; weekday?: number } | { intent: "stop"; follow: number } | { intent: "stop-all" };

/**
 * Changes how often one follow of `email` hears, stops one, or stops them all. A follow id that is
 * not this address's changes nothing (false). Stopping drops what was written and not yet sent.
 */
export function changeOwnFollows(email: string, change: ManageChange, now = Date.now()): boolean {
  const address = email.trim().toLowerCase();
  const db = getDb();
  assertWriteGateOpen(db);
  return db.transaction(
    (tx) => {
      const ids =
        change.intent === "stop-all"
          ? tx.all<{ id: number }>(sql`SELECT id FROM follows WHERE email = ${address} AND unsubscribed_at IS NULL`).map((row) => row.id)
          : tx.all<{ id: number }>(sql`SELECT id FROM follows WHERE id = ${change.follow} AND email = ${address} AND unsubscribed_at IS NULL`).map((row) => row.id);
      if (ids.length === 0) return change.intent === "stop-all";
      const list = sql.join(ids.map((id) => sql`${id}`), sql`, `);
      if (change.intent === "cadence") {
        // The digest's hour and weekday too (kept when the form left them out).
        tx.run(sql`UPDATE follows SET cadence = ${change.cadence}, digest_hour = COALESCE(${change.hour ?? null}, digest_hour),
          digest_weekday = COALESCE(${change.weekday ?? null}, digest_weekday) WHERE id IN (${list})`);
        return true;
      }
      tx.run(sql`UPDATE follows SET unsubscribed_at = ${now} WHERE id IN (${list})`);
      tx.run(sql`UPDATE outbox SET state = 'cancelled', last_error = 'Unsubscribed before it was sent' WHERE follow_id IN (${list}) AND state = 'queued' AND kind IN ('alert', 'digest')`);
      return true;
    },
    { behavior: "immediate" },
  );
}

/** An address's confirmed live follows (what FOLLOW_LIMITS counts: unconfirmed requests may be anyone's). */
function confirmedFollowCounts(tx: DbOrTx, address: string, except: number | null = null): { searches: number; total: number } {
  return tx.get<{ searches: number; total: number }>(sql`
    SELECT COALESCE(SUM(subject_kind = 'search'), 0) AS searches, COUNT(*) AS total
    FROM follows WHERE email = ${address} AND confirmed_at IS NOT NULL AND unsubscribed_at IS NULL AND id IS NOT ${except}`)!;
}

/** Whether a new live follow of `kind`/`key` at `address` would pass FOLLOW_LIMITS (a confirmed one always may be changed). */
function newFollowLimit(tx: DbOrTx, address: string, kind: FollowSubjectKind, key: string): string | null {
  const existing = tx.get(sql`SELECT 1 AS one FROM follows WHERE email = ${address} AND subject_kind = ${kind} AND subject_key = ${key}
    AND confirmed_at IS NOT NULL AND unsubscribed_at IS NULL`);
  if (existing) return null;
  return followLimitProblem(confirmedFollowCounts(tx, address), kind);
}

/**
 * Signed in: a follow for the account's own address needs no confirmation by email (the account
 * is that address's); it starts at once, or takes the cadence asked if it already exists.
 */
export function followAsUser({ email, kind, key, cadence, now = Date.now() }: { email: string; kind: FollowSubjectKind; key: string; cadence: Cadence; now?: number }): FollowRequestResult {
  const db = getDb();
  assertWriteGateOpen(db);
  const address = email.trim().toLowerCase();
  return db.transaction(
    (tx): FollowRequestResult => {
      const subject = subjectOf(tx, kind, key);
      if (!subject) return { ok: false, fieldErrors: { key: ["What to follow: there is no such thing to follow (it may have been renamed or removed)"] } };
      const limit = newFollowLimit(tx, address, kind, subject.key);
      if (limit) return { ok: false, fieldErrors: { key: [limit] } };
      tx.run(sql`
        INSERT INTO follows (email, subject_kind, subject_key, subject_label, cadence, secret, created_at, confirmed_at, last_digest_at)
        VALUES (${address}, ${kind}, ${subject.key}, ${subject.label}, ${cadence}, ${randomBytes(16).toString("hex")}, ${now}, ${now}, ${now})
        ON CONFLICT (email, subject_kind, subject_key) DO UPDATE SET cadence = excluded.cadence, subject_label = excluded.subject_label,
          confirmed_at = COALESCE(follows.confirmed_at, excluded.confirmed_at), last_digest_at = COALESCE(follows.last_digest_at, excluded.last_digest_at),
          unsubscribed_at = NULL`);
      return { ok: true };
    },
    { behavior: "immediate" },
  );
}

/**
 * Emails a fresh manage link to `email` if it follows anything (live). Throttled like follow
 * requests (per address, per client), and the same answer whether or not the address follows.
 */
export function requestManageLink({ email, client, now = Date.now() }: { email: string; client: string; now?: number }): FollowRequestResult {
  const db = getDb();
  assertWriteGateOpen(db);
  const address = email.trim().toLowerCase();
  return db.transaction(
    (tx): FollowRequestResult => {
      const request = throttledRequest(tx, { address, client, now, what: "requests" });
      if (!request.ok) return request;
      const requestId = request.requestId;
      const follow = tx.get<{ id: number; secret: string }>(sql`
        SELECT id, secret FROM follows WHERE email = ${address} AND confirmed_at IS NOT NULL AND unsubscribed_at IS NULL ORDER BY id LIMIT 1`);
      if (!follow) return { ok: true };
      const message = manageLinkMessage({ manageUrl: followLink(follow, "manage", now) });
      enqueueMessage(tx, { kind: "manage", followId: follow.id, to: address, message, dedupeKey: `manage:${follow.id}:${requestId}`, now });
      return { ok: true };
    },
    { behavior: "immediate" },
  );
}
