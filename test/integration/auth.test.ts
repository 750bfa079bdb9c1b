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
import * as accountPassword from "~/routes/account.password";
import * as adminUsers from "~/routes/admin.users";
import * as lettersIndex from "~/routes/letters._index";
import * as letterNew from "~/routes/letters.new";
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
  const wrong = (attempt: number) => `wrong guess number ${attempt}`;

  it("wrong passwords from one address never lock the owner out at another address", async () => {
    const now = Date.now();
    for (let attempt = 0; attempt < 12; attempt++) {
      await signIn({ email: "staffer@example.org", password: wrong(attempt), clientAddress: "203.0.113.66", now: now + attempt });
    }
    expect(await signIn({ email: "staffer@example.org", password, clientAddress: "198.51.100.7", now: now + 1000 })).toMatchObject({ ok: true });
  });

  it("guesses spread over many addresses make new addresses wait, while the owner's known address still works", async () => {
    const now = Date.now();
    // The owner signed in from home last week.
    expect(await signIn({ email: "staffer@example.org", password, clientAddress: "192.0.2.10", now: now - 7 * 24 * 3600_000 })).toMatchObject({ ok: true });
    for (let attempt = 0; attempt < 50; attempt++) {
      await signIn({ email: "staffer@example.org", password: wrong(attempt), clientAddress: `2001:db8::${attempt.toString(16)}`, now: now + attempt });
    }
    expect(await signIn({ email: "staffer@example.org", password, clientAddress: "2001:db8::ffff", now: now + 100 })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/Too many failed sign-ins\. Try again in \d+ minutes?\./),
    });
    expect(await signIn({ email: "staffer@example.org", password, clientAddress: "192.0.2.10", now: now + 200 })).toMatchObject({ ok: true });
  });

  it("after 5 failures from one address for one account, waits that double, with a clear 'try again in N minutes'", async () => {
    const now = Date.now();
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(await signIn({ email: "staffer@example.org", password: wrong(attempt), clientAddress: "10.0.1.1", now: now + attempt * 1000 })).toEqual({
        ok: false,
        message: "Email or password is wrong.",
      });
    }
    const at = now + 4000;
    // Even the right password waits, from that address.
    expect(await signIn({ email: "staffer@example.org", password, clientAddress: "10.0.1.1", now: at + 1000 })).toEqual({
      ok: false,
      message: "Too many failed sign-ins. Try again in 1 minute.",
    });
    // After the wait, one more guess; the next wait is twice as long.
    expect(await signIn({ email: "staffer@example.org", password: wrong(6), clientAddress: "10.0.1.1", now: at + 60_000 })).toMatchObject({ ok: false, message: "Email or password is wrong." });
    expect(await signIn({ email: "staffer@example.org", password, clientAddress: "10.0.1.1", now: at + 61_000 })).toEqual({
      ok: false,
      message: "Too many failed sign-ins. Try again in 2 minutes.",
    });
    expect(await signIn({ email: "staffer@example.org", password, clientAddress: "10.0.1.1", now: at + 60_000 + 120_000 })).toMatchObject({ ok: true });
  });

  it("evaluates no more than the allowed number of parallel guesses", async () => {
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, attempt) => signIn({ email: "staffer@example.org", password: wrong(attempt), clientAddress: "10.0.3.3", now })),
    );
    const evaluated = results.filter((result) => !result.ok && result.message === "Email or password is wrong.");
    expect(evaluated).toHaveLength(5);
    expect(results.filter((result) => !result.ok && result.message.startsWith("Too many"))).toHaveLength(25);
  });

  it("limits one address trying many accounts, and not other addresses", async () => {
    const now = Date.now();
    for (let attempt = 0; attempt < 100; attempt++) {
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
    expect((outcome.data as { error: Record<string, string[]> }).error[""]).toEqual(["Too many failed sign-ins. Try again in 1 minute."]);
  });

  it("the current-password check on /account/password is throttled too", async () => {
    const result = await signIn({ email: "staffer@example.org", password, clientAddress: "127.0.0.1" });
    if (!result.ok) throw new Error(result.message);
    const cookie = cookieOf(result.setCookie);
    const change = (currentPassword: string) =>
      run(accountPassword.action as never, formRequest("/account/password", { currentPassword, newPassword: "a brand new passphrase", confirmPassword: "a brand new passphrase" }, cookie));
    for (let attempt = 0; attempt < 5; attempt++) expect((await change(wrong(attempt))).status).toBe(400);
    const outcome = await change(password);
    expect(outcome.status).toBe(429);
    expect(JSON.stringify(outcome.data)).toMatch(/Too many wrong passwords\. Try again in 1 minute\./);
    expect(await verifyCredentials({ email: "staffer@example.org", password })).not.toBeNull();
  });
});

describe("new passwords", () => {
  it.each([
    ["password1234", /New password is one of the most common passwords/],
    ["Password1234", /New password is one of the most common passwords/],
    ["qwerty123456", /New password is one of the most common passwords/],
    ["            ", /New password must not be only spaces/],
    ["aaaaaaaaaaaaaa", /New password repeats/],
    ["abcabcabcabcabc", /New password repeats/],
    ["123456789012345", /New password is a simple sequence/],
  ])("%j is refused with a message naming the field", async (newPassword, message) => {
    const result = await signIn({ email: "staffer@example.org", password, clientAddress: "127.0.0.1" });
    if (!result.ok) throw new Error(result.message);
    const outcome = await run(
      accountPassword.action as never,
      formRequest("/account/password", { currentPassword: password, newPassword, confirmPassword: newPassword }, cookieOf(result.setCookie)),
    );
    expect(outcome.status).toBe(400);
    expect((outcome.data as { error: Record<string, string[]> }).error.newPassword?.join(" ")).toMatch(message);
    expect(await verifyCredentials({ email: "staffer@example.org", password })).not.toBeNull();
  });

  it("creating an account refuses a common password too", async () => {
    await expect(createUser({ email: "y@example.org", name: "Y", role: "viewer", password: "password1234", actor })).rejects.toThrow(/common/);
  });
});

describe("one-time passwords", () => {
  async function oneTimeAdmin() {
    db.delete(users).run();
    const admin = await ensureInitialAdmin({ db, email: "admin@example.org" });
    const result = await signIn({ email: "admin@example.org", password: admin!.password, clientAddress: "127.0.0.1" });
    if (!result.ok) throw new Error(result.message);
    return { oneTime: admin!.password, cookie: cookieOf(result.setCookie) };
  }

  it("allow nothing but choosing a new password, on every page and action that needs a sign-in", async () => {
    const { cookie } = await oneTimeAdmin();
    const refused = [
      await run(adminUsers.loader as never, getRequest("/admin/users", cookie)),
      await run(adminUsers.action as never, formRequest("/admin/users", { intent: "create", email: "new@example.org", name: "New", role: "admin" }, cookie)),
      await run(letterNew.loader as never, getRequest("/letters/new", cookie)),
      await run(lettersIndex.loader as never, getRequest("/letters?status=open", cookie)),
    ];
    for (const outcome of refused) {
      expect(outcome.status).toBe(302);
      expect(outcome.location).toMatch(/^\/account\/password\?redirectTo=/);
    }
    expect(refused[3]!.location).toBe("/account/password?redirectTo=%2Fletters%3Fstatus%3Dopen");
    const page = await run(accountPassword.loader as never, getRequest("/account/password", cookie));
    expect(page).toMatchObject({ status: 200, data: { mustChange: true } });
    expect(db.select().from(users).all()).toHaveLength(1);
  });

  it("stop working once a new one is chosen, and the account then works", async () => {
    const { oneTime, cookie } = await oneTimeAdmin();
    const changed = await run(
      accountPassword.action as never,
      formRequest("/account/password", { currentPassword: oneTime, newPassword: "my own admin passphrase", confirmPassword: "my own admin passphrase", redirectTo: "/admin/users" }, cookie),
    );
    expect(changed).toMatchObject({ status: 302, location: "/admin/users" });
    expect(await signIn({ email: "admin@example.org", password: oneTime, clientAddress: "10.1.1.1" })).toMatchObject({ ok: false });
    const again = await signIn({ email: "admin@example.org", password: "my own admin passphrase", clientAddress: "10.1.1.1" });
    if (!again.ok) throw new Error(again.message);
    expect(again.user.mustChangePassword).toBe(false);
    expect((await run(adminUsers.loader as never, getRequest("/admin/users", cookieOf(again.setCookie)))).status).toBe(200);
  });
});

describe("redirects after sign-in", () => {
  it.each([
    ["/letters/new", "/letters/new"],
    ["//evil.example", "/"],
    ["https://evil.example/", "/"],
    ["/%5Cevil.example", "/"],
    ["/\uFF0Fx", "/%EF%BC%8Fx"],
    ["/letters?q=\u00e9t\u00e9\u2603", "/letters?q=%C3%A9t%C3%A9%E2%98%83"],
  ])("redirectTo=%s goes to %s", async (redirectTo, expected) => {
    const outcome = await run(login.action as never, formRequest("/login", { email: "staffer@example.org", password, redirectTo }));
    expect(outcome).toMatchObject({ status: 302, location: expected });
  });

  it("a user with a one-time password is sent to choose a new one first", async () => {
    db.update(users).set({ mustChangePassword: true }).where(eq(users.email, "staffer@example.org")).run();
    const outcome = await run(login.action as never, formRequest("/login", { email: "staffer@example.org", password, redirectTo: "/letters" }));
    expect(outcome.location).toBe("/account/password?redirectTo=%2Fletters");
  });

  it("a signed-in visitor sent on to a non-ASCII address gets a redirect, not a 500", async () => {
    const result = await signIn({ email: "staffer@example.org", password, clientAddress: "10.0.0.1" });
    if (!result.ok) throw new Error(result.message);
    const outcome = await run(login.loader as never, getRequest(`/login?redirectTo=${encodeURIComponent("/\uFF0Fx")}`, cookieOf(result.setCookie)));
    expect(outcome).toMatchObject({ status: 302, location: "/%EF%BC%8Fx" });
  });
});
