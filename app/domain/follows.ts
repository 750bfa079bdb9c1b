/**
 * The rules of following by email (decision 0016), pure: signed, expiring tokens; the sender's
 * back-off; when a digest is due and which period it covers; the saved-search address; the form.
 * No database here: app/models/follows.server.ts and outbox.server.ts apply them.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { parseLetterFilters, parseQuestionFilters, letterFiltersToSearch, questionFiltersToSearch } from "./filters";
import { CADENCE_TERMS, type Cadence, type FollowSubjectKind } from "./vocabulary";

// ---------------------------------------------------------------------------------------------
// Tokens

/**
 * `manage` opens the page of every follow of a follow's address; `reminders` (signed with a staff
 * user's id and reminder secret, not a follow's) stops that user's deadline reminders.
 */
export const TOKEN_PURPOSES = ["confirm", "unsubscribe", "manage", "reminders"] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** How long a link works. Unsubscribing works with an expired token too (see verifyToken). */
export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  confirm: 7 * 24 * 60 * 60_000,
  unsubscribe: 90 * 24 * 60 * 60_000,
  manage: 30 * 24 * 60 * 60_000,
  reminders: 90 * 24 * 60 * 60_000,
};

/** A signing key: at least 32 characters (MAIL_TOKEN_SECRET, or the one the app made and keeps). */
export const tokenKeySchema = z.string().min(32, "must be at least 32 characters");

const payloadSchema = z.object({
  f: z.number().int().positive(),
  p: z.enum(TOKEN_PURPOSES),
  e: z.number().int().nonnegative(),
});
export type TokenPayload = z.infer<typeof payloadSchema>;

function mac(key: string, followSecret: string, body: string): Buffer {
  return createHmac("sha256", key).update(followSecret).update("\0").update(body).digest();
}

/** `<payload>.<signature>`, both base64url; the follow's own secret is part of the signed text. */
export function signToken({ key, followId, followSecret, purpose, now }: { key: string; followId: number; followSecret: string; purpose: TokenPurpose; now: number }): string {
  const body = Buffer.from(JSON.stringify({ f: followId, p: purpose, e: now + TOKEN_LIFETIME_MS[purpose] })).toString("base64url");
  return `${body}.${mac(key, followSecret, body).toString("base64url")}`;
}

/** The follow a token names, without checking it (the caller then looks up the follow's secret). */
export function readToken(token: string): TokenPayload | null {
  const [body, signature, extra] = token.split(".");
  if (!body || !signature || extra !== undefined || token.length > 400) return null;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export type TokenCheck = { ok: true; payload: TokenPayload } | { ok: false; reason: "malformed" | "signature" | "purpose" | "expired" };

/**
 * Checks a token's signature, purpose and expiry. `allowExpired` (unsubscribing) accepts a token
 * whose time ran out but whose signature holds: unsubscribe always works.
 */
export function verifyToken({
  key,
  token,
  followSecret,
  purpose,
  now,
  allowExpired = false,
}: {
  key: string;
  token: string;
  followSecret: string;
  purpose: TokenPurpose | readonly TokenPurpose[];
  now: number;
  allowExpired?: boolean;
}): TokenCheck {
  const payload = readToken(token);
  if (!payload) return { ok: false, reason: "malformed" };
  const [body, signature] = token.split(".") as [string, string];
  const expected = mac(key, followSecret, body);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "signature" };
  const purposes: readonly TokenPurpose[] = typeof purpose === "string" ? [purpose] : purpose;
  if (!purposes.includes(payload.p)) return { ok: false, reason: "purpose" };
  if (!allowExpired && payload.e < now) return { ok: false, reason: "expired" };
  return { ok: true, payload };
}

// ---------------------------------------------------------------------------------------------
// Sending: back-off and giving up

export const SEND_RULE = { maxAttempts: 8, baseDelayMs: 60_000, maxDelayMs: 6 * 60 * 60_000 };

/**
 * After `attempts` failed tries: when to try again (1, 2, 4, ... minutes, capped), or null to give up.
 */
export function nextAttemptAt(attempts: number, now: number, rule = SEND_RULE): number | null {
  if (attempts >= rule.maxAttempts) return null;
  return now + Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

/** A permanent refusal (5xx from the server) is not tried again; anything else is. */
export function isPermanentFailure(responseCode: number | undefined): boolean {
  return responseCode !== undefined && responseCode >= 500 && responseCode < 600;
}

// ---------------------------------------------------------------------------------------------
// Digests

/** When a follower's digest is written: daily at `hour`, or weekly on `weekday` (0 Sunday … 6 Saturday) at `hour`. */
export interface DigestSchedule {
  cadence: Cadence;
  hour: number;
  weekday: number;
}

export const DEFAULT_DIGEST_HOUR = 8;
/** Monday: weekly digests were written on Mondays before the day could be chosen. */
export const DEFAULT_DIGEST_WEEKDAY = 1;
export const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

/** An hour of the day as the alerts pages show it: 7 → "07:00". */
export const hourLabel = (hour: number) => `${String(hour).padStart(2, "0")}:00`;

/** How a follow hears, in words: "As it happens", "Daily digest at 08:00 (UTC)", "Weekly digest on Friday at 18:00 (UTC)". */
export function scheduleWords(schedule: DigestSchedule, timeZone: string): string {
  const label = CADENCE_TERMS.labelOf(schedule.cadence);
  if (schedule.cadence === "immediate") return label;
  const day = schedule.cadence === "weekly" ? ` on ${WEEKDAY_NAMES[schedule.weekday] ?? WEEKDAY_NAMES[DEFAULT_DIGEST_WEEKDAY]}` : "";
  return `${label}${day} at ${hourLabel(schedule.hour)} (${timeZone})`;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();
const SHORT_WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** The wall clock of `zone` (an IANA name) at the instant `at`. */
function wallClock(at: number, zone: string): WallClock {
  let formatter = clockFormats.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      weekday: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    clockFormats.set(zone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(new Date(at)).map((part) => [part.type, part.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: SHORT_WEEKDAYS.indexOf(parts.weekday ?? ""),
  };
}

/** How far `zone`'s clock is ahead of UTC at the instant `at`, in ms. */
function zoneOffset(at: number, zone: string): number {
  const w = wallClock(at, zone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
}

/**
 * The first instant at which `zone`'s clock shows the date (y, m, d) at `hour`:00, or, when that
 * hour does not exist there (the spring-forward gap), the first instant after it (03:00 for 02:00).
 * An hour that happens twice (fall back) is its first time.
 */
function zonedInstant(year: number, month: number, day: number, hour: number, zone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour);
  const candidates = [...new Set([-86_400_000, 0, 86_400_000].map((shift) => wall - zoneOffset(wall + shift, zone)))].sort((a, b) => a - b);
  const exact = candidates.find((at) => {
    const w = wallClock(at, zone);
    return w.year === year && w.month === month && w.day === day && w.hour === hour && w.minute === 0;
  });
  if (exact !== undefined) return exact;
  // In the gap: the earliest candidate whose clock is past the asked time.
  return candidates.find((at) => zoneOffset(at, zone) + at > wall) ?? candidates.at(-1)!;
}

/** (y, m, d) moved by `days` calendar days. */
function shiftDate(date: { year: number; month: number; day: number }, days: number): { year: number; month: number; day: number } {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

const dateKey = (date: { year: number; month: number; day: number }) =>
  `${date.year}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;

export interface DigestSlot {
  /** The instant the digest is due (ms). */
  at: number;
  /** The period it covers, as a key: one digest per follow and period (`day:2026-06-12`, `week:2026-06-08`). */
  period: string;
}

/** The schedule's latest slot at or before `now` in `zone` (null for "as it happens"). */
export function latestDigestSlot(schedule: DigestSchedule, now: number, zone: string): DigestSlot | null {
  if (schedule.cadence === "immediate") return null;
  const clock = wallClock(now, zone);
  const step = schedule.cadence === "daily" ? 1 : 7;
  const back = schedule.cadence === "daily" ? 0 : (clock.weekday - schedule.weekday + 7) % 7;
  let date = shiftDate(clock, -back);
  for (let tries = 0; tries < 3; tries += 1) {
    const at = zonedInstant(date.year, date.month, date.day, schedule.hour, zone);
    if (at <= now) return { at, period: `${schedule.cadence === "daily" ? "day" : "week"}:${dateKey(date)}` };
    date = shiftDate(date, -step);
  }
  return null;
}

/**
 * The first slot of the schedule strictly after `after` (the last digest, or the confirmation), in
 * `zone` (the tracker's time zone: the server's, TZ): a digest is due once it has come. Local
 * time, so 08:00 stays 08:00 across a change to or from summer time; an hour the change skips is
 * the first hour after it.
 */
export function nextDigestSlot(schedule: DigestSchedule, after: number, zone: string): DigestSlot | null {
  if (schedule.cadence === "immediate") return null;
  const latest = latestDigestSlot(schedule, after, zone);
  const clock = wallClock(after, zone);
  const step = schedule.cadence === "daily" ? 1 : 7;
  // From the latest slot's date (or, with none, the week's), forward until one lies after `after`.
  const start = latest ? { year: Number(latest.period.slice(-10, -6)), month: Number(latest.period.slice(-5, -3)), day: Number(latest.period.slice(-2)) } : shiftDate(clock, schedule.cadence === "daily" ? 0 : (schedule.weekday - clock.weekday + 7) % 7);
  for (let k = 0; k < 4; k += 1) {
    const date = shiftDate(start, k * step);
    const at = zonedInstant(date.year, date.month, date.day, schedule.hour, zone);
    if (at > after) return { at, period: `${schedule.cadence === "daily" ? "day" : "week"}:${dateKey(date)}` };
  }
  return null;
}

/**
 * The period of the digest due at `now`, or null when none is: the schedule's latest slot, once it
 * lies after the follow's last digest (or its confirmation: `since`). A sender that was down when
 * the slot came writes it when it is back (not a week later for a weekly one).
 */
export function dueDigestPeriod(schedule: DigestSchedule, since: number | null, now: number, zone: string): string | null {
  const slot = latestDigestSlot(schedule, now, zone);
  if (!slot) return null;
  if (since !== null && slot.at <= since) return null;
  return slot.period;
}

/** Events grouped by letter, in the order they happened, for a digest. */
export function groupByLetter<E extends { letterId: number; at: number }>(events: readonly E[]): E[][] {
  const groups = new Map<number, E[]>();
  for (const event of [...events].sort((a, b) => a.at - b.at)) {
    const group = groups.get(event.letterId) ?? [];
    group.push(event);
    groups.set(event.letterId, group);
  }
  return [...groups.values()];
}

// ---------------------------------------------------------------------------------------------
// What can be followed

/** The address of a saved search, reduced to what selects letters (no page, sort or past date). */
export function savedSearchKey(address: string): string | null {
  let url: URL;
  try {
    url = new URL(address, "http://tracker.invalid");
  } catch {
    return null;
  }
  if (url.origin !== "http://tracker.invalid") return null;
  if (url.pathname === "/letters") {
    const { filters } = parseLetterFilters(url.searchParams);
    return `/letters${letterFiltersToSearch({ ...filters, asOf: null, page: 1, sort: "sent", dir: "desc" })}`;
  }
  if (url.pathname === "/questions") {
    const { filters } = parseQuestionFilters(url.searchParams);
    return `/questions${questionFiltersToSearch({ ...filters, asOf: null, page: 1, sort: "sent", dir: "desc" })}`;
  }
  return null;
}

/** The page of a followed subject, relative to the site. */
export function subjectPath(kind: FollowSubjectKind, key: string): string {
  switch (kind) {
    case "letter":
      return `/letters/${encodeURIComponent(key)}`;
    case "agency":
      return `/agencies/${encodeURIComponent(key)}`;
    case "member":
      return `/members/${encodeURIComponent(key)}`;
    case "committee":
      return `/committees/${encodeURIComponent(key)}`;
    case "topic":
      return `/letters?tag=${encodeURIComponent(key)}`;
    case "search":
      // A saved search is a /letters or /questions address of this site, never another site's or a
      // javascript: link (the key comes from a form anyone can post).
      return /^\/(letters|questions)(\?[^\s#]*)?$/.test(key) ? key : "/letters";
  }
}


/** Confirmation requests: per address and per client, in a sliding window (see throttle.ts). */
/**
 * What one address may follow at once. Every saved search is tested against every event the
 * tracker records (decision 0022), so a signed-in account scripting hundreds of them made every
 * event's fan-out slower for everyone; other follows are a lookup, but still bounded.
 */
export const FOLLOW_LIMITS = { savedSearches: 25, total: 200 };

/** Which limit a new follow would pass at `live` follows already (null: none). */
export function followLimitReached(live: { searches: number; total: number }, kind: string): string | null {
  if (kind === "search" && live.searches >= FOLLOW_LIMITS.savedSearches) return `${FOLLOW_LIMITS.savedSearches} saved searches`;
  if (live.total >= FOLLOW_LIMITS.total) return `${FOLLOW_LIMITS.total} things`;
  return null;
}

/** Why a new follow is refused at `live` follows already (null: it is not), naming the field. */
export function followLimitProblem(live: { searches: number; total: number }, kind: string): string | null {
  const reached = followLimitReached(live, kind);
  return reached ? `What to follow: this address already follows ${reached}, the most one address may; stop one under "Your alerts" first` : null;
}

export const FOLLOW_EMAIL_RULE = { maxFailures: 3, windowMs: 60 * 60_000 };
export const FOLLOW_CLIENT_RULE = { maxFailures: 20, windowMs: 60 * 60_000 };
