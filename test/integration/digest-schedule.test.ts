/**
 * The digest's hour and weekday (decision 0025): chosen on the alerts pages (the signed manage link,
 * and signed in), checked by the form's schema with messages naming the field, stored, and used
 * by the digest pass: a weekly digest chosen for Friday at 18:00 (the tracker's time zone) leaves
 * then, through the real sender and a real SMTP server, not on Monday at 08:00.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { nextDigestSlot } from "~/domain/follows";
import { confirmFollow, followLink, requestFollow, trackerTimeZone } from "~/models/follows.server";
import * as manage from "~/routes/follows.manage";
import * as accountFollows from "~/routes/account.follows";
import { runMailTurn } from "~/utils/mail-sender.server";
import { addResponse, createLetter } from "../factories";
import { freshDatabase } from "../support/database";
import { useSmtpServer } from "../support/mail";
import { formRequest, getRequest, run, signedInAs } from "../support/requests";

let db: Db;
let clients = 0;
const mail = useSmtpServer();
beforeEach(() => {
  db = freshDatabase();
});

function following(email: string, key: string, now = Date.now()): { id: number; secret: string } {
  expect(requestFollow({ email, kind: "letter", key, cadence: "immediate", client: `c${(clients += 1)}`, now })).toEqual({ ok: true });
  const row = db.get<{ id: number; secret: string }>(sql`SELECT id, secret FROM follows WHERE email = ${email} AND subject_key = ${key}`)!;
  expect(confirmFollow(new URL(followLink(row, "confirm", now)).searchParams.get("token")!, now + 1).ok).toBe(true);
  return row;
}

const scheduleOf = (id: number) =>
  db.get<{ cadence: string; hour: number; weekday: number }>(sql`SELECT cadence, digest_hour AS hour, digest_weekday AS weekday FROM follows WHERE id = ${id}`)!;
const pathOf = (link: string) => {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
};

describe("choosing the digest's hour and weekday", () => {
  it("by the signed manage link: stored, bad values refused naming the field, the zone named on the page", async () => {
    const letter = createLetter(db);
    const row = following("reader@example.org", letter.slug);
    const link = pathOf(followLink(row, "manage"));

    const page = await run(manage.loader, getRequest(link));
    expect((page.data as { timeZone: string }).timeZone).toBe(trackerTimeZone());
    expect((page.data as { follows: Array<{ digestHour: number; digestWeekday: number }> }).follows[0]).toMatchObject({ digestHour: 8, digestWeekday: 1 });

    const saved = await run(manage.action, formRequest(link, { intent: "cadence", follow: String(row.id), cadence: "weekly", hour: "18", weekday: "5" }));
    expect(saved.status).toBe(200);
    expect(scheduleOf(row.id)).toEqual({ cadence: "weekly", hour: 18, weekday: 5 });

    for (const [fields, message] of [
      [{ hour: "24" }, "Hour: from 00:00 to 23:00"],
      [{ hour: "7.5" }, "Hour: a whole hour from 00:00 to 23:00"],
      [{ hour: "noon" }, "Hour: choose an hour from 00:00 to 23:00"],
      [{ weekday: "7" }, "Day of the week: choose a day from Sunday to Saturday"],
    ] as const) {
      const refused = await run(manage.action, formRequest(link, { intent: "cadence", follow: String(row.id), cadence: "daily", ...fields }));
      expect(refused.status).toBe(400);
      expect((refused.data as { errors: string[] }).errors).toContain(message);
    }
    // Nothing half-saved by a refused form.
    expect(scheduleOf(row.id)).toEqual({ cadence: "weekly", hour: 18, weekday: 5 });
  });

  it("signed in, on the account's alerts page", async () => {
    const letter = createLetter(db);
    const user = await signedInAs("viewer");
    const row = following(user.email, letter.slug);
    const changed = await run(accountFollows.action, formRequest("/account/follows", { intent: "cadence", follow: String(row.id), cadence: "daily", hour: "6" }, user.cookie));
    expect(changed.status).toBe(200);
    expect(scheduleOf(row.id)).toEqual({ cadence: "daily", hour: 6, weekday: 1 });
    const page = await run(accountFollows.loader, getRequest("/account/follows", user.cookie));
    expect((page.data as { timeZone: string }).timeZone).toBe(trackerTimeZone());
  });
});

describe("the digest pass uses the chosen hour and weekday", () => {
  it("a weekly digest for Friday at 18:00 leaves at that time, once, and not before", async () => {
    const letter = createLetter(db);
    const start = Date.now();
    const row = following("weekly@example.org", letter.slug, start - 60_000);
    const link = pathOf(followLink(row, "manage"));
    expect((await run(manage.action, formRequest(link, { intent: "cadence", follow: String(row.id), cadence: "weekly", hour: "18", weekday: "5" }))).status).toBe(200);
    addResponse(db, letter.id, { receivedOn: "2025-01-20", completeness: "partial" });

    const slot = nextDigestSlot({ cadence: "weekly", hour: 18, weekday: 5 }, start, trackerTimeZone())!;
    expect(new Date(slot.at).getDay(), "a Friday in the tracker's zone (the test runs in it)").toBe(5);
    // The minute before: nothing (the event is fanned out and waits).
    await runMailTurn({ transport: mail.transport, now: () => slot.at - 60_000 });
    expect(mail.smtp.received).toHaveLength(0);
    await runMailTurn({ transport: mail.transport, now: () => slot.at });
    await runMailTurn({ transport: mail.transport, now: () => slot.at + 60 * 60_000 });
    expect(mail.smtp.received).toHaveLength(1);
    const digest = mail.smtp.received[0]!;
    expect(digest.to).toEqual(["weekly@example.org"]);
    expect(digest.parsed.subject).toMatch(/^This week: \d+ changes? in /);
    expect(digest.parsed.text).toContain("Response logged");
    expect(db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM outbox WHERE kind = 'digest' AND dedupe_key = ${`digest:${row.id}:${slot.period}`}`)!.n).toBe(1);
  });
});
