/**
 * Who is asking? Sessions are random 256-bit tokens in an HttpOnly cookie; the database keeps only
 * their SHA-256, with an absolute lifetime. Whether they may is app/utils/permissions.server.ts
 * (requireUser), which every loader and action calls itself.
 */
import { assertWriteGateOpen } from "~/utils/write-gate.server";
import crypto from "node:crypto";
import { createCookie } from "@remix-run/node";
import { and, eq, gt, isNull, lt, or, type SQL } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import { loginAttempts, sessions, users } from "../../db/schema";
import { ACCOUNT_RULE, ADDRESS_RULE, KNOWN_ADDRESS_MS, PAIR_RULE, pairWaitMs, waitMessage, windowWaitMs } from "~/domain/throttle";
import { env } from "~/env.server";
import type { Actor } from "./audit.server";
import { normalizeEmail, verifyCredentials, type Role, type UserSummary } from "./users.server";

export const SESSION_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;

const sessionCookie = createCookie("tracker_session", {
  httpOnly: true,
  sameSite: "lax",
  secure: env.NODE_ENV === "production",
  path: "/",
  maxAge: SESSION_LIFETIME_MS / 1000,
});

export interface CurrentUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  mustChangePassword: boolean;
}

const tokenHash = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

async function sessionToken(request: Request): Promise<string | null> {
  const value: unknown = await sessionCookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
}

export async function getCurrentUser(request: Request): Promise<CurrentUser | null> {
  const token = await sessionToken(request);
  if (!token) return null;
  const row = getDb()
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      mustChangePassword: users.mustChangePassword,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, tokenHash(token)), gt(sessions.expiresAt, Date.now()), isNull(users.disabledAt)))
    .get();
  return row ?? null;
}

export function actorOf(user: CurrentUser): Actor {
  return { id: user.id, email: user.email, name: user.name };
}

export type SignInResult =
  | { ok: true; user: CurrentUser; setCookie: string }
  | { ok: false; message: string };

export type PasswordCheck =
  | { ok: true; user: UserSummary }
  | { ok: false; throttled: true; waitMs: number }
  | { ok: false; throttled: false };

/**
 * Checks a password for an account, throttled per (account, address) pair and per address (see
 * app/domain/throttle.ts). The count and the record of this attempt (as a failure until proven
 * otherwise) happen in one synchronous immediate transaction before the slow argon2 check, so
 * parallel attempts cannot all pass the count. Used by sign-in and by the current-password check.
 */
export async function checkPassword({
  email,
  password,
  clientAddress,
  now = Date.now(),
}: {
  email: string;
  password: string;
  clientAddress: string;
  now?: number;
}): Promise<PasswordCheck> {
  const db = getDb();
  const account = normalizeEmail(email);
  const since = now - Math.max(PAIR_RULE.windowMs, ADDRESS_RULE.windowMs);
  // While an import is being written, no sign-in is recorded: 503 (app/utils/write-gate.server.ts).
  assertWriteGateOpen(db);
  const admitted = db.transaction(
    (tx) => {
      const failures = (where: SQL | undefined) =>
        tx
          .select({ at: loginAttempts.attemptedAt })
          .from(loginAttempts)
          .where(and(where, eq(loginAttempts.succeeded, false), gt(loginAttempts.attemptedAt, since)))
          .all()
          .map((row) => row.at);
      const knownAddress = tx
        .select({ id: loginAttempts.id })
        .from(loginAttempts)
        .where(and(eq(loginAttempts.email, account), eq(loginAttempts.ip, clientAddress), eq(loginAttempts.succeeded, true), gt(loginAttempts.attemptedAt, now - KNOWN_ADDRESS_MS)))
        .get();
      const waitMs = Math.max(
        pairWaitMs(failures(and(eq(loginAttempts.email, account), eq(loginAttempts.ip, clientAddress))), now),
        windowWaitMs(failures(eq(loginAttempts.ip, clientAddress)), now),
        knownAddress ? 0 : windowWaitMs(failures(eq(loginAttempts.email, account)), now, ACCOUNT_RULE),
      );
      if (waitMs > 0) return { waitMs, attemptId: null };
      // Old rows are pruned as we go: failures after their windows, successes once no longer "known".
      tx.delete(loginAttempts)
        .where(and(lt(loginAttempts.attemptedAt, since), or(eq(loginAttempts.succeeded, false), lt(loginAttempts.attemptedAt, now - KNOWN_ADDRESS_MS))))
        .run();
      const attemptId = tx
        .insert(loginAttempts)
        .values({ email: account, ip: clientAddress, attemptedAt: now, succeeded: false })
        .returning({ id: loginAttempts.id })
        .get().id;
      return { waitMs: 0, attemptId };
    },
    { behavior: "immediate" },
  );
  if (admitted.attemptId === null) return { ok: false, throttled: true, waitMs: admitted.waitMs };

  const user = await verifyCredentials({ email: account, password });
  if (!user) return { ok: false, throttled: false };
  db.transaction(
    (tx) => {
      tx.update(loginAttempts).set({ succeeded: true }).where(eq(loginAttempts.id, admitted.attemptId)).run();
      // A success clears this pair's failures: the owner's own typos do not pile up.
      tx.delete(loginAttempts)
        .where(and(eq(loginAttempts.email, account), eq(loginAttempts.ip, clientAddress), eq(loginAttempts.succeeded, false)))
        .run();
    },
    { behavior: "immediate" },
  );
  return { ok: true, user };
}

export async function signIn({
  email,
  password,
  clientAddress,
  now = Date.now(),
}: {
  email: string;
  password: string;
  clientAddress: string;
  now?: number;
}): Promise<SignInResult> {
  const checked = await checkPassword({ email, password, clientAddress, now });
  if (!checked.ok) {
    return checked.throttled
      ? { ok: false, message: waitMessage("Too many failed sign-ins.", checked.waitMs) }
      : { ok: false, message: "Email or password is wrong." };
  }
  const user = checked.user;
  const db = getDb();

  // A fresh id at every sign-in, so a session id planted before sign-in is worthless.
  const token = crypto.randomBytes(32).toString("base64url");
  assertWriteGateOpen(db);
  db.delete(sessions).where(lt(sessions.expiresAt, now)).run();
  db.insert(sessions).values({ id: tokenHash(token), userId: user.id, createdAt: now, expiresAt: now + SESSION_LIFETIME_MS }).run();
  const { disabledAt: _disabled, createdAt: _created, ...current } = user;
  return { ok: true, user: current, setCookie: await sessionCookie.serialize(token) };
}

/** Ends this session server-side and returns the header that clears the cookie. */
export async function signOut(request: Request): Promise<string> {
  const token = await sessionToken(request);
  if (token) assertWriteGateOpen();
  if (token) getDb().delete(sessions).where(eq(sessions.id, tokenHash(token))).run();
  return sessionCookie.serialize("", { maxAge: 0 });
}

/** The client's address, as the server saw it (see scripts/serve.ts getLoadContext). */
export function clientAddressOf(context: unknown): string {
  const address = (context as { clientAddress?: unknown } | undefined)?.clientAddress;
  return typeof address === "string" && address ? address : "unknown";
}
