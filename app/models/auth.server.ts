/**
 * Who is asking, and may they? Sessions are random 256-bit tokens in an HttpOnly cookie; the
 * database keeps only their SHA-256, with an absolute lifetime. Every loader and action calls
 * requireReader / requireRole itself: Remix runs loaders in parallel, so a parent's check protects
 * nothing.
 */
import crypto from "node:crypto";
import { createCookie, data, redirect } from "@remix-run/node";
import { and, eq, gt, isNull, lt } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import { loginAttempts, sessions, users } from "../../db/schema";
import { ACCOUNT_RULE, ADDRESS_RULE, minutesToWait } from "~/domain/throttle";
import { env } from "~/env.server";
import type { Actor } from "./audit.server";
import { normalizeEmail, ROLE_RANK, verifyCredentials, type Role } from "./users.server";

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

function loginRedirect(request: Request): never {
  const url = new URL(request.url);
  throw redirect(`/login?${new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` })}`);
}

/**
 * Anyone may read when PUBLIC_READ is on; otherwise a signed-in user. Returns the user, if any.
 * Pages send anonymous visitors to sign in; the JSON API answers 401 instead.
 */
export async function requireReader(
  request: Request,
  { api = false }: { api?: boolean } = {},
): Promise<CurrentUser | null> {
  const user = await getCurrentUser(request);
  if (!user && !env.PUBLIC_READ) {
    if (api) throw Response.json({ error: "Sign in to read this tracker." }, { status: 401 });
    loginRedirect(request);
  }
  return user;
}

/** A signed-in user with at least `role`: anonymous visitors are sent to sign in, others get 403. */
export async function requireRole(request: Request, role: Role): Promise<CurrentUser> {
  const user = await getCurrentUser(request);
  if (!user) loginRedirect(request);
  if (ROLE_RANK[user.role] < ROLE_RANK[role]) {
    throw data(`You need ${role === "admin" ? "an admin" : "an editor"} account to do this.`, { status: 403 });
  }
  return user;
}

export type SignInResult =
  | { ok: true; user: CurrentUser; setCookie: string }
  | { ok: false; message: string };

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
  const db = getDb();
  const account = normalizeEmail(email);
  const since = now - Math.max(ACCOUNT_RULE.windowMs, ADDRESS_RULE.windowMs);
  const failures = (column: typeof loginAttempts.email | typeof loginAttempts.ip, value: string) =>
    db
      .select({ at: loginAttempts.attemptedAt })
      .from(loginAttempts)
      .where(and(eq(column, value), eq(loginAttempts.succeeded, false), gt(loginAttempts.attemptedAt, since)))
      .all()
      .map((row) => row.at);
  const wait = Math.max(
    minutesToWait(failures(loginAttempts.email, account), now, ACCOUNT_RULE),
    minutesToWait(failures(loginAttempts.ip, clientAddress), now, ADDRESS_RULE),
  );
  if (wait > 0) {
    return {
      ok: false,
      message: `Too many failed sign-ins. Try again in ${wait} minute${wait === 1 ? "" : "s"}.`,
    };
  }

  const user = await verifyCredentials({ email: account, password });
  db.transaction(
    (tx) => {
      tx.insert(loginAttempts).values({ email: account, ip: clientAddress, attemptedAt: now, succeeded: user !== null }).run();
      // A success clears the account's failures; old rows are pruned as we go.
      if (user) tx.delete(loginAttempts).where(and(eq(loginAttempts.email, account), eq(loginAttempts.succeeded, false))).run();
      tx.delete(loginAttempts).where(lt(loginAttempts.attemptedAt, since)).run();
    },
    { behavior: "immediate" },
  );
  if (!user) return { ok: false, message: "Email or password is wrong." };

  // A fresh id at every sign-in, so a session id planted before sign-in is worthless.
  const token = crypto.randomBytes(32).toString("base64url");
  db.delete(sessions).where(lt(sessions.expiresAt, now)).run();
  db.insert(sessions).values({ id: tokenHash(token), userId: user.id, createdAt: now, expiresAt: now + SESSION_LIFETIME_MS }).run();
  const { disabledAt: _disabled, createdAt: _created, ...current } = user;
  return { ok: true, user: current, setCookie: await sessionCookie.serialize(token) };
}

/** Ends this session server-side and returns the header that clears the cookie. */
export async function signOut(request: Request): Promise<string> {
  const token = await sessionToken(request);
  if (token) getDb().delete(sessions).where(eq(sessions.id, tokenHash(token))).run();
  return sessionCookie.serialize("", { maxAge: 0 });
}

/** The client's address, as the server saw it (see scripts/serve.ts getLoadContext). */
export function clientAddressOf(context: unknown): string {
  const address = (context as { clientAddress?: unknown } | undefined)?.clientAddress;
  return typeof address === "string" && address ? address : "unknown";
}
