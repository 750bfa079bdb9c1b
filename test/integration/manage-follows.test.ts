/**
 * Managing follows (decision 0020): the signed "Manage your alerts" link in every message opens the
 * follows of that address and of no other; how often can be changed, one or all stopped; an expired
 * link offers a fresh one (throttled, the same answer whether or not the address follows); signed
 * in, follows at the account's address start at once and are listed on /account/follows.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { TOKEN_LIFETIME_MS } from "~/domain/follows";
import { confirmFollow, followLink, requestFollow } from "~/models/follows.server";
import { fanOutEvents } from "~/models/outbox.server";
import * as manage from "~/routes/follows.manage";
import * as accountFollows from "~/routes/account.follows";
import * as follow from "~/routes/follow";
import { addResponse, createLetter } from "../factories";
import { freshDatabase } from "../support/database";
import { formRequest, getRequest, run, signedInAs } from "../support/requests";

let db: Db;
let clients = 0;
beforeEach(() => {
  db = freshDatabase();
});

/** A confirmed follow of `email`. */
function following(email: string, kind: "letter" | "search", key: string, now = Date.now()): { id: number; secret: string } {
  expect(requestFollow({ email, kind, key, cadence: "immediate", client: `c${(clients += 1)}`, now })).toEqual({ ok: true });
  const row = db.get<{ id: number; secret: string }>(sql`SELECT id, secret FROM follows WHERE email = ${email} AND subject_key = ${kind === "letter" ? key : key}`)!;
  expect(confirmFollow(new URL(followLink(row, "confirm", now)).searchParams.get("token")!, now + 1).ok).toBe(true);
  return row;
}

const manageLinkOf = (text: string) => {
  const match = /Manage your alerts \(how often, stop some or all\): (\S+)/.exec(text);
  if (!match) throw new Error(`no manage link in:\n${text}`);
  return new URL(match[1]!);
};
const pathOf = (url: URL) => `${url.pathname}${url.search}`;
const cadenceOf = (id: number) => db.get<{ cadence: string; stopped: number | null }>(sql`SELECT cadence, unsubscribed_at AS stopped FROM follows WHERE id = ${id}`)!;

describe("the Manage your alerts link", () => {
  it("is in every alert and lists that address's follows, never another's; changes how often, stops one, stops all", async () => {
    const letter = createLetter(db);
    const other = createLetter(db);
    const mine = following("reader@example.org", "letter", letter.slug);
    const mySearch = following("reader@example.org", "search", "/letters");
    const theirs = following("someone@example.org", "letter", letter.slug);
    addResponse(db, letter.id, { receivedOn: "2025-01-20", completeness: "full" });
    while (fanOutEvents({ limit: 100 }) > 0);
    const alert = db.get<{ text: string; html: string }>(sql`SELECT text_body AS text, html_body AS html FROM outbox WHERE follow_id = ${mine.id} AND kind = 'alert'`)!;
    expect(alert.html).toContain("Manage your alerts");
    const link = manageLinkOf(alert.text);
    expect(link.pathname).toBe("/follows/manage");

    const page = await run(manage.loader, getRequest(pathOf(link)));
    expect(page.status).toBe(200);
    const listed = (page.data as { follows: Array<{ id: number; subjectLabel: string }> }).follows;
    expect(listed.map((f) => f.id).sort()).toEqual([mine.id, mySearch.id].sort());
    expect(listed.map((f) => f.id)).not.toContain(theirs.id);
    expect(JSON.stringify(page.data)).not.toContain("someone@example.org");

    // How often: no cookie needed, the signed link is the key.
    const changed = await run(manage.action, formRequest(pathOf(link), { intent: "cadence", follow: String(mine.id), cadence: "weekly" }));
    expect(changed.status).toBe(200);
    expect(cadenceOf(mine.id).cadence).toBe("weekly");
    // Another address's follow, named by id in a tampered form: refused, unchanged.
    const tampered = await run(manage.action, formRequest(pathOf(link), { intent: "stop", follow: String(theirs.id) }));
    expect(tampered.status).toBe(400);
    expect((tampered.data as { errors: string[] }).errors[0]).toMatch(/^Alert: not one of this address's alerts/);
    expect(cadenceOf(theirs.id).stopped).toBeNull();
    // A bad value names the field.
    const bad = await run(manage.action, formRequest(pathOf(link), { intent: "cadence", follow: String(mine.id), cadence: "hourly" }));
    expect(bad.status).toBe(400);
    expect((bad.data as { errors: string[] }).errors).toContain("How often: choose as it happens, daily or weekly");

    await run(manage.action, formRequest(pathOf(link), { intent: "stop", follow: String(mySearch.id) }));
    expect(cadenceOf(mySearch.id).stopped).not.toBeNull();
    expect(cadenceOf(mine.id).stopped).toBeNull();
    await run(manage.action, formRequest(pathOf(link), { intent: "stop-all" }));
    expect(cadenceOf(mine.id).stopped).not.toBeNull();
    expect(cadenceOf(theirs.id).stopped, "stopping all stops this address's only").toBeNull();
    const after = await run(manage.loader, getRequest(pathOf(link)));
    expect((after.data as { follows: unknown[] }).follows).toEqual([]);
    void other;
  });

  it("an expired link explains and offers a fresh one: throttled, and the same answer for an address that follows nothing", async () => {
    const letter = createLetter(db);
    const old = Date.now() - TOKEN_LIFETIME_MS.manage - 60_000;
    const row = following("reader@example.org", "letter", letter.slug);
    const expired = new URL(followLink(row, "manage", old));
    const page = await run(manage.loader, getRequest(pathOf(expired)));
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ expired: true, follows: [] });
    expect((page.data as { message: string }).message).toMatch(/has expired/);
    // Nothing can be changed with it.
    const refused = await run(manage.action, formRequest(pathOf(expired), { intent: "stop-all" }));
    expect(refused.status).toBe(403);
    expect(cadenceOf(row.id).stopped).toBeNull();

    const ask = (email: string) => run(manage.action, formRequest(pathOf(expired), { intent: "send-link", email }));
    const known = await ask("Reader@Example.org");
    const unknown = await ask("nobody@example.org");
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect((known.data as { sent: boolean }).sent).toBe(true);
    expect((unknown.data as { sent: boolean }).sent).toBe(true);
    const messages = db.all<{ to: string; subject: string; text: string }>(sql`SELECT to_address AS "to", subject, text_body AS text FROM outbox WHERE dedupe_key LIKE 'manage:%'`);
    expect(messages.map((m) => m.to)).toEqual(["reader@example.org"]);
    const fresh = new URL(/(https?:\/\/\S+\/follows\/manage\?token=\S+)/.exec(messages[0]!.text)![1]!);
    const opened = await run(manage.loader, getRequest(pathOf(fresh)));
    expect((opened.data as { follows: Array<{ id: number }> }).follows.map((f) => f.id)).toEqual([row.id]);

    // Throttled per address (3 an hour), with the field named.
    await ask("reader@example.org");
    await ask("reader@example.org");
    const fourth = await ask("reader@example.org");
    expect(fourth.status).toBe(429);
    expect(JSON.stringify(fourth.data)).toContain("Email address: too many requests");
    const badEmail = await ask("not an address");
    expect(badEmail.status).toBe(400);
    expect(JSON.stringify(badEmail.data)).toContain("Email address: enter an address like name@example.org");
  });

  it("a forged or cut link is refused", async () => {
    const letter = createLetter(db);
    const row = following("reader@example.org", "letter", letter.slug);
    const link = new URL(followLink(row, "manage"));
    const token = link.searchParams.get("token")!;
    const forged = await run(manage.loader, getRequest(`/follows/manage?token=${encodeURIComponent(token.slice(0, -3) + "AAA")}`));
    expect(forged.status).toBe(400);
    // An unsubscribe token is not a manage token.
    const wrongPurpose = new URL(followLink(row, "unsubscribe"));
    expect((await run(manage.loader, getRequest(`/follows/manage${wrongPurpose.search}`))).status).toBe(400);
  });
});

describe("signed in", () => {
  it("a follow at the account's own address starts at once and is managed on /account/follows; another address still needs confirming", async () => {
    const letter = createLetter(db);
    const user = await signedInAs("viewer");
    const own = await run(follow.action, formRequest("/follow", { email: user.email.toUpperCase(), kind: "letter", key: letter.slug, cadence: "daily" }, user.cookie));
    expect(own.status).toBe(303);
    expect(own.location).toBe("/account/follows?added=1");
    const row = db.get<{ id: number; confirmedAt: number | null; cadence: string }>(sql`SELECT id, confirmed_at AS confirmedAt, cadence FROM follows WHERE email = ${user.email}`)!;
    expect(row.confirmedAt).not.toBeNull();
    expect(row.cadence).toBe("daily");
    expect(db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM outbox`)!.n, "no confirmation needed").toBe(0);

    const elsewhere = await run(follow.action, formRequest("/follow", { email: "shared-inbox@example.org", kind: "letter", key: letter.slug, cadence: "immediate" }, user.cookie));
    expect(elsewhere.location).toBe("/follow?sent=1");
    expect(db.get<{ confirmedAt: number | null }>(sql`SELECT confirmed_at AS confirmedAt FROM follows WHERE email = 'shared-inbox@example.org'`)!.confirmedAt).toBeNull();

    const page = await run(accountFollows.loader, getRequest("/account/follows", user.cookie));
    expect((page.data as { follows: Array<{ id: number; cadence: string }> }).follows).toMatchObject([{ id: row.id, cadence: "daily" }]);
    await run(accountFollows.action, formRequest("/account/follows", { intent: "cadence", follow: String(row.id), cadence: "immediate" }, user.cookie));
    expect(cadenceOf(row.id).cadence).toBe("immediate");
    await run(accountFollows.action, formRequest("/account/follows", { intent: "stop", follow: String(row.id) }, user.cookie));
    expect(cadenceOf(row.id).stopped).not.toBeNull();

    // Signed out: the page asks to sign in.
    const anonymous = await run(accountFollows.loader, getRequest("/account/follows"));
    expect([302, 303, 401, 403]).toContain(anonymous.status);
  });
});
