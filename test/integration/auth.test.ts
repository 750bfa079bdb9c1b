/**
 * Accounts and sessions against a real database: argon2id hashes, server-side sessions that
 * sign-out and disabling revoke at once, an absolute lifetime, and throttled sign-in.
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { sessions, users } from "../../db/schema";
import type { Db } from "../../db/client.server";
import { getCurrentUser, SESSION_LIFETIME_MS, signIn, signOut } from "~/models/auth.server";
import { createUser, ensureInitialAdmin, setUserDisabled, verifyCredentials } from "~/models/users.server";
import * as login from "~/routes/login";
import * as logout from "~/routes/logout";
import { freshDatabase } from "../support/database";
import { formRequest, getRequest, run } from "../support/requests";

const actor = { id: null, email: null, name: "test" };
const password = "a long enough passphrase";
let db: Db;

beforeEach(async () => {
  db = freshDatabase();
  await createUser({ email: "Staffer@Example.org", name: "Sam Staffer", role: "editor", password, actor });
});

const cookieOf = (setCookie: string) => setCookie.split(";")[0]!;
const withCookie = (cookie: string) => getRequest("/", cookie);

describe("accounts", () => {
  it("stores an argon2id hash, never the password, and matches emails case-insensitively", async () => {
    const row = db.select().from(users).get()!;
    expect(row.email).toBe("staffer@example.org");
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain(password);
    expect(await verifyCredentials({ email: "STAFFER@example.org", password })).toMatchObject({ name: "Sam Staffer" });
    expect(await verifyCredentials({ email: "staffer@example.org", password: "wrong password!" })).toBeNull();
  });

  it("refuses passwords under 12 characters", async () => {
    await expect(createUser({ email: "x@example.org", name: "X", role: "viewer", password: "short", actor })).rejects.toThrow(/at least 12/);
  });

  it("creates a first admin with a one-time password only when there are no users", async () => {
    expect(await ensureInitialAdmin({ db, email: "admin@example.org" })).toBeNull();
    db.delete(users).run();
    const admin = await ensureInitialAdmin({ db, email: "admin@example.org" });
    expect(admin?.password).toHaveLength(24);
    expect(db.select().from(users).get()).toMatchObject({ role: "admin", mustChangePassword: true });
  });
});

describe("sessions", () => {
  it("sign-in sets an HttpOnly, SameSite=Lax cookie with a fresh random id each time", async () => {
    const first = await signIn({ email: "staffer@example.org", password, clientAddress: "10.0.0.1" });
    const second = await signIn({ email: "staffer@example.org", password, clientAddress: "10.0.0.1" });
    if (!first.ok || !second.ok) throw new Error("sign-in failed");
    expect(first.setCookie).toMatch(/HttpOnly/);
    expect(first.setCookie).toMatch(/SameSite=Lax/);
    expect(first.setCookie).toMatch(/Max-Age=1209600/);
    expect(cookieOf(first.setCookie)).not.toBe(cookieOf(second.setCookie));
    // 32 random bytes; the database holds only a hash of it.
    // Remix encodes the cookie value as base64 JSON.
    const encoded = decodeURIComponent(cookieOf(first.setCookie).slice("tracker_session=".length));
    const token = JSON.parse(Buffer.from(encoded, "base64").toString("utf8")) as string;
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(db.select().from(sessions).all().map((row) => row.id)).not.toContain(token);
    expect(await getCurrentUser(withCookie(cookieOf(first.setCookie)))).toMatchObject({ email: "staffer@example.org" });
  });

  it("sign-out revokes the session on the server at once", async () => {
    const result = await signIn({ email: "staffer@example.org", password, clientAddress: "10.0.0.1" });
    if (!result.ok) throw new Error(result.message);
    const cookie = cookieOf(result.setCookie);
    const outcome = await run(logout.action as never, formRequest("/logout", {}, cookie));
    expect(outcome.status).toBe(302);
    expect(outcome.setCookie).toMatch(/Max-Age=0/);
    // The old cookie, replayed, no longer works.
    expect(await getCurrentUser(withCookie(cookie))).toBeNull();
  });

  it("disabling a user revokes their sessions at once and blocks sign-in", async () => {
    const result = await signIn({ email: "staffer@example.org", password, clientAddress: "10.0.0.1" });
    if (!result.ok) throw new Error(result.message);
    setUserDisabled({ id: result.user.id, disabled: true, actor });
    expect(await getCurrentUser(withCookie(cookieOf(result.setCookie)))).toBeNull();
    expect(await signIn({ email: "staffer@example.org", password, clientAddress: "10.0.0.2" })).toMatchObject({ ok: false });
  });

  it("ends after its absolute lifetime, however active", async () => {
    const result = await signIn({ email: "staffer@example.org", password, clientAddress: "10.0.0.1", now: Date.now() - SESSION_LIFETIME_MS - 1000 });
    if (!result.ok) throw new Error(result.message);
    expect(await getCurrentUser(withCookie(cookieOf(result.setCookie)))).toBeNull();
  });

  it("ignores forged cookies", async () => {
    expect(await getCurrentUser(withCookie("tracker_session=not-a-session"))).toBeNull();
    expect(await signOut(withCookie("tracker_session=%22x%22"))).toMatch(/Max-Age=0/);
  });
});

describe("throttling", () => {
  it("after 5 failures an account waits, with a clear 'try again in N minutes'", async () => {
    const now = Date.now();
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(await signIn({ email: "staffer@example.org", password: "wrong guess no " + attempt, clientAddress: `10.0.1.${attempt}`, now: now + attempt * 1000 })).toEqual({
        ok: false,
        message: "Email or password is wrong.",
      });
    }
    // Even the right password waits now.
    expect(await signIn({ email: "staffer@example.org", password, clientAddress: "10.0.2.1", now: now + 6000 })).toEqual({
      ok: false,
      message: "Too many failed sign-ins. Try again in 15 minutes.",
    });
    expect(await signIn({ email: "staffer@example.org", password, clientAddress: "10.0.2.1", now: now + 10 * 60_000 })).toEqual({
      ok: false,
      message: "Too many failed sign-ins. Try again in 5 minutes.",
    });
    expect(await signIn({ email: "staffer@example.org", password, clientAddress: "10.0.2.1", now: now + 16 * 60_000 })).toMatchObject({ ok: true });
  });

  it("limits one address trying many accounts", async () => {
    const now = Date.now();
    for (let attempt = 0; attempt < 20; attempt++) {
      await signIn({ email: `nobody${attempt}@example.org`, password: "whatever guess", clientAddress: "10.9.9.9", now });
    }
    expect(await signIn({ email: "staffer@example.org", password, clientAddress: "10.9.9.9", now })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Too many failed sign-ins\. Try again in \d+ minutes?\.$/),
    });
    expect(await signIn({ email: "staffer@example.org", password, clientAddress: "10.9.9.10", now })).toMatchObject({ ok: true });
  });

  it("the sign-in page answers 429 with the message", async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      await run(login.action as never, formRequest("/login", { email: "staffer@example.org", password: "wrong guess again" }));
    }
    const outcome = await run(login.action as never, formRequest("/login", { email: "staffer@example.org", password }));
    expect(outcome.status).toBe(429);
    expect((outcome.data as { error: Record<string, string[]> }).error[""]).toEqual(["Too many failed sign-ins. Try again in 15 minutes."]);
  });
});

describe("redirects after sign-in", () => {
  it.each([
    ["/letters/new", "/letters/new"],
    ["//evil.example", "/"],
    ["https://evil.example/", "/"],
    ["/%5Cevil.example", "/"],
  ])("redirectTo=%s goes to %s", async (redirectTo, expected) => {
    const outcome = await run(login.action as never, formRequest("/login", { email: "staffer@example.org", password, redirectTo }));
    expect(outcome).toMatchObject({ status: 302, location: expected });
  });

  it("a user with a one-time password is sent to choose a new one first", async () => {
    db.update(users).set({ mustChangePassword: true }).where(eq(users.email, "staffer@example.org")).run();
    const outcome = await run(login.action as never, formRequest("/login", { email: "staffer@example.org", password, redirectTo: "/letters" }));
    expect(outcome.location).toBe("/account/password?redirectTo=%2Fletters");
  });
});
