/**
 * Attack on what was merged for issues 11–14 (follow by email, share cards and badges, exports,
 * feeds). Each test here failed on main as merged and passes with its fix. One finding still open
 * (an import floods a follower) is a test on branch attack13, named in the closing note.
 */
import ExcelJS from "exceljs";
import { SaxesParser } from "saxes";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { confirmFollow, followLink, requestFollow, unsubscribeFollow } from "~/models/follows.server";
import { fanOutEvents, listOutbox } from "~/models/outbox.server";
import { recordOverdueEvents } from "~/models/letter-events.server";
import { today } from "~/domain/dates";
import { badgeSvg } from "~/domain/share";
import { loader as feed } from "~/routes/feed[.]xml";
import { loader as letterBadgeRoute } from "~/routes/letters.$slug_.badge[.]svg";
import { loader as agencyBadgeRoute } from "~/routes/agencies.$slug_.badge[.]svg";
import { loader as lettersXlsx } from "~/routes/export.letters[.]xlsx";
import { addResponse, buildLetterRecord, createLetter } from "../factories";
import { writeLetter } from "~/models/letter-writer.server";
import { letterInputFromRecord } from "~/domain/letter-input";
import { SYSTEM_ACTOR } from "~/models/audit.server";
import { freshDatabase } from "../support/database";

type Loader = (args: LoaderFunctionArgs) => Response | Promise<Response>;
const get = (loader: Loader, path: string) =>
  loader({ request: new Request(`http://localhost${path}`), params: {}, context: {} } as LoaderFunctionArgs);

/** A strict XML parse: any error or fatal error fails. */
function parseStrict(xml: string): void {
  const problems: string[] = [];
  const parser = new SaxesParser({ xmlns: false });
  parser.on("error", (error) => problems.push(error.message));
  parser.write(xml).close();
  expect(problems).toEqual([]);
}

let db: Db;
beforeEach(() => {
  db = freshDatabase();
});

describe("follow by email", () => {
  it("a confirmation link, once its holder unsubscribed, does not start the messages again", () => {
    const letter = createLetter(db);
    const now = Date.now();
    expect(requestFollow({ email: "reader@example.org", kind: "letter", key: letter.slug, cadence: "immediate", client: "c1", now })).toEqual({ ok: true });
    const follow = db.get<{ id: number; secret: string }>(sql`SELECT id, secret FROM follows`)!;
    const confirmToken = new URL(followLink(follow, "confirm", now)).searchParams.get("token")!;
    const unsubscribeToken = new URL(followLink(follow, "unsubscribe", now)).searchParams.get("token")!;
    expect(confirmFollow(confirmToken, now + 1000).ok).toBe(true);
    expect(unsubscribeFollow(unsubscribeToken, now + 2000).ok).toBe(true);
    // The same old confirmation link (still within its 7 days), opened again from the mailbox:
    confirmFollow(confirmToken, now + 3000);
    const row = db.get<{ unsubscribedAt: number | null }>(sql`SELECT unsubscribed_at AS unsubscribedAt FROM follows WHERE id = ${follow.id}`)!;
    expect(row.unsubscribedAt, "an old confirm link replayed after unsubscribing re-subscribes the address").not.toBeNull();
  });

  it("a stranger cannot make the tracker mail their own words and links to any address (saved-search follow)", () => {
    createLetter(db);
    const bait = "URGENT your account is locked call 555-0100 or visit http://evil.example/login now";
    expect(
      requestFollow({ email: "victim@example.org", kind: "search", key: `/letters?q=${encodeURIComponent(bait)}`, cadence: "immediate", client: "c1" }),
    ).toEqual({ ok: true });
    const [message] = listOutbox({ limit: 10 });
    expect(message, "a confirmation was written").toBeTruthy();
    expect(message!.subject).not.toContain("evil.example");
    expect(message!.subject).not.toContain("account is locked");
    // Nor in the body as typed (decision 0020): neither the address nor the words, in either part.
    const body = db.get<{ text: string; html: string }>(sql`SELECT text_body AS text, html_body AS html FROM outbox WHERE id = ${message!.id}`)!;
    for (const part of [body.text, body.html]) {
      expect(part).not.toContain("evil.example");
      expect(part).not.toContain("account is locked");
      expect(part).not.toContain("555-0100");
    }
    expect(body.text).toContain("a saved search of letters");
  });
});

describe("a followed letter whose slug changes", () => {
  it("keeps its followers: the response logged after the rename reaches them", () => {
    const record = buildLetterRecord({ id: "first-slug-2025-01-10" });
    const letter = createLetter(db, record);
    const now = Date.now();
    expect(requestFollow({ email: "reader@example.org", kind: "letter", key: letter.slug, cadence: "immediate", client: "c1", now })).toEqual({ ok: true });
    const follow = db.get<{ id: number; secret: string }>(sql`SELECT id, secret FROM follows`)!;
    expect(confirmFollow(new URL(followLink(follow, "confirm", now)).searchParams.get("token")!, now + 1).ok).toBe(true);
    // An editor corrects the slug (the letter page sends the old address on with a 301).
    db.transaction(
      (tx) => writeLetter({ tx, letterId: letter.id, input: letterInputFromRecord({ ...record, id: "second-slug-2025-01-10" }), actor: SYSTEM_ACTOR, summary: "slug corrected" }),
      { behavior: "immediate" },
    );
    expect(db.get<{ slug: string }>(sql`SELECT slug FROM letters WHERE id = ${letter.id}`)!.slug).toBe("second-slug-2025-01-10");
    addResponse(db, letter.id, { receivedOn: "2025-02-01", completeness: "full" });
    expect(db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM letter_events WHERE letter_id = ${letter.id} AND kind = 'response_logged'`)!.n).toBe(1);
    while (fanOutEvents({ limit: 100 }) > 0);
    const alerts = db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM outbox WHERE follow_id = ${follow.id} AND kind = 'alert'`)!.n;
    expect(alerts, "alerts to the letter's follower after its slug changed").toBeGreaterThan(0);
  });
});

describe("an embedded badge whose letter's slug changed", () => {
  it("still answers at the old address (the badge HTML handed out embeds it), as the letter page does with a 301", async () => {
    const record = buildLetterRecord({ id: "old-badge-slug-2025-01-10" });
    const letter = createLetter(db, record);
    db.transaction(
      (tx) => writeLetter({ tx, letterId: letter.id, input: letterInputFromRecord({ ...record, id: "new-badge-slug-2025-01-10" }), actor: SYSTEM_ACTOR, summary: "slug corrected" }),
      { behavior: "immediate" },
    );
    let status: number;
    try {
      const response = await letterBadgeRoute({ request: new Request("http://localhost/letters/old-badge-slug-2025-01-10/badge.svg"), params: { slug: "old-badge-slug-2025-01-10" }, context: {} } as unknown as LoaderFunctionArgs);
      status = response.status;
    } catch (thrown) {
      status = (thrown as { init?: { status?: number } }).init?.status ?? (thrown as Response).status ?? 500;
    }
    expect([200, 301, 302, 308]).toContain(status);
  });
});

describe("a follower and a batch of old letters", () => {
  it("importing 40 letters from 2023 does not send one follower 80 separate alerts", () => {
    createLetter(db);
    const now = Date.now();
    expect(requestFollow({ email: "desk@example.org", kind: "search", key: "/letters", cadence: "immediate", client: "c1", now })).toEqual({ ok: true });
    const follow = db.get<{ id: number; secret: string }>(sql`SELECT id, secret FROM follows`)!;
    expect(confirmFollow(new URL(followLink(follow, "confirm", now)).searchParams.get("token")!, now + 1).ok).toBe(true);
    for (let i = 0; i < 40; i++) createLetter(db, { sent_on: "2023-03-01", deadline: "2023-03-15" });
    db.transaction((tx) => recordOverdueEvents(tx, today()), { behavior: "immediate" });
    while (fanOutEvents({ limit: 100 }) > 0);
    const alerts = db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM outbox WHERE follow_id = ${follow.id} AND kind = 'alert'`)!.n;
    expect(alerts, "alerts written to one address for one import of historical letters").toBeLessThanOrEqual(5);
  });
});

describe("control characters in text staff paste", () => {
  // A vertical tab (\v) is what Word gives for a manual line break when pasted; the forms and the
  // import keep it. XML 1.0 cannot carry it at all.
  const title = "Letter on the audit\u000bSecond line\u0001";

  it("the Atom feed stays well-formed XML", async () => {
    createLetter(db, { title });
    const response = await get(feed, "/feed.xml");
    expect(response.status).toBe(200);
    parseStrict(await response.text());
  });

  it("the letters .xlsx opens (its sheet XML is well-formed)", async () => {
    createLetter(db, { title });
    const response = await get(lettersXlsx, "/export/letters.xlsx?status=all");
    expect(response.status).toBe(200);
    const JSZip = (await import("jszip")).default;
    const zip = await JSZip.loadAsync(Buffer.from(await response.arrayBuffer()));
    for (const name of Object.keys(zip.files).filter((file) => file.endsWith(".xml"))) {
      parseStrict(await zip.file(name)!.async("string"));
    }
    void ExcelJS;
  });

  it("an agency badge with a control character in the agency's name (as a staffer typed it) stays well-formed SVG", async () => {
    createLetter(db, { recipients: [{ name: "Pat Example", title: "Director", agency: "Bureau of\u000bPasted Names" }] });
    const agency = db.get<{ slug: string; name: string }>(sql`SELECT slug, name FROM agencies WHERE name LIKE 'Bureau of%'`)!;
    expect(agency.name).toContain("\u000b");
    const response = await agencyBadgeRoute({ request: new Request(`http://localhost/agencies/${agency.slug}/badge.svg`), params: { slug: agency.slug }, context: {} } as unknown as LoaderFunctionArgs);
    expect(response.status).toBe(200);
    parseStrict(await response.text());
  });

  it("a badge cut at 80 characters never splits an emoji into half a character", () => {
    const label = `${"A".repeat(79)}🚨 answers`;
    const svg = badgeSvg({ label, message: "x", color: "#000" });
    expect(svg).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
