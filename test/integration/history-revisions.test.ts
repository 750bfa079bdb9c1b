/**
 * Pages of a past date are kept (in the process, by ETag, by nginx) under their day's history
 * revision (decision 0031, migration 0028): it must move whenever a write could change what any
 * such page shows for that day, and it should stay put for days before the written letter was sent,
 * or a save once a second would make every past-date page render again. Each case makes one real
 * write on the demo letters and compares, for several days, what each past-date page's loader
 * returns and the day's history revision, before and after.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { backupDatabase, restoreDatabase } from "../../db/backup.server";
import { closeDb, getDb, type Db } from "../../db/client.server";
import { letters } from "../../db/schema";
import { seedDemoDataIfEmpty } from "../../db/seed.server";
import { addCalendarDays, today } from "~/domain/dates";
import { pastDayOfPage } from "~/domain/page-scope";
import { env } from "~/env.server";
import { SYSTEM_ACTOR } from "~/models/audit.server";
import { addDeadlineChange, deleteLetter, saveResponse, setLetterClosed } from "~/models/letter-writer.server";
import { historyRevision, pageRevisionOf } from "~/models/page-generations.server";
import { loader as overviewLoader } from "~/routes/_index";
import { loader as lettersLoader } from "~/routes/letters._index";
import { loader as questionsLoader } from "~/routes/questions._index";
import { loader as agenciesLoader } from "~/routes/agencies._index";
import { loader as agencyLoader } from "~/routes/agencies.$slug";
import { loader as memberLoader } from "~/routes/members.$slug";
import { loader as committeeLoader } from "~/routes/committees.$slug";
import { loader as answeredLoader } from "~/routes/answered";
import { loader as searchLoader } from "~/routes/search";
import { loader as briefingLoader } from "~/routes/briefing";
import { createLetter } from "../factories";
import { freshDatabase } from "../support/database";

type Loader = (args: LoaderFunctionArgs) => unknown;

let db: Db;

beforeEach(() => {
  db = freshDatabase();
  expect(seedDemoDataIfEmpty({ db, reference: false })).toBe(true);
});

/** What a loader gives the page (plain data, `data()` or a Response), as text; a thrown Response by its status. */
async function shown(loader: Loader, address: string, params: Record<string, string>): Promise<string> {
  try {
    const result = (await loader({ request: new Request(`http://tracker.test${address}`), params, context: {} })) as unknown;
    if (result instanceof Response) return `${result.status} ${await result.text()}`;
    const wrapped = result as { type?: string; data?: unknown };
    // When the figures were computed labels figures served while a write's recomputation runs
    // (decision 0005): the same figures, computed earlier. The figures themselves are compared.
    return JSON.stringify(wrapped?.type === "DataWithResponseInit" ? wrapped.data : result, (key, value: unknown) =>
      key === "figuresComputedAt" ? null : value,
    );
  } catch (error) {
    if (error instanceof Response) return `thrown ${error.status}`;
    throw error;
  }
}

/** Days around the demo letters' sent dates: the first, the middle, the day before the last, and a week ago. */
function pastDays(): string[] {
  const sent = db.all<{ day: string }>(sql`SELECT DISTINCT sent_on AS day FROM letters ORDER BY sent_on`).map((row) => row.day);
  const last = sent[sent.length - 1] as string;
  return [sent[0] as string, sent[Math.floor(sent.length / 2)] as string, addCalendarDays(last, -1), addCalendarDays(today(), -7)].filter(
    (day) => day < today(),
  );
}

/** Every kind of page PAST_DATE_PAGE keeps by history revision, on `day`. */
function addresses(day: string): Array<{ loader: Loader; address: string; params?: Record<string, string> }> {
  const first = (query: ReturnType<typeof sql>) => db.get<{ slug: string }>(query)?.slug as string;
  const agency = first(sql`SELECT a.slug FROM agencies a JOIN letter_recipients r ON r.agency_id = a.id GROUP BY a.id ORDER BY COUNT(*) DESC LIMIT 1`);
  const member = first(sql`SELECT m.slug FROM members m JOIN letter_senders s ON s.member_id = m.id GROUP BY m.id ORDER BY COUNT(*) DESC LIMIT 1`);
  const committee = first(sql`SELECT c.slug FROM committees c JOIN letters l ON l.committee_id = c.id GROUP BY c.id ORDER BY COUNT(*) DESC LIMIT 1`);
  return [
    { loader: overviewLoader, address: `/?asOf=${day}` },
    { loader: lettersLoader, address: `/letters?asOf=${day}` },
    { loader: lettersLoader, address: `/letters?asOf=${day}&sort=status` },
    { loader: questionsLoader, address: `/questions?asOf=${day}&status=all` },
    { loader: agenciesLoader, address: `/agencies?asOf=${day}` },
    { loader: agencyLoader, address: `/agencies/${agency}?asOf=${day}`, params: { slug: agency } },
    { loader: memberLoader, address: `/members/${member}?asOf=${day}`, params: { slug: member } },
    { loader: committeeLoader, address: `/committees/${committee}?asOf=${day}`, params: { slug: committee } },
    { loader: answeredLoader, address: `/answered?asOf=${day}` },
    { loader: briefingLoader, address: `/briefing?asOf=${day}` },
    { loader: searchLoader, address: `/search?q=department&asOf=${day}` },
  ];
}

interface DayState {
  revision: string | null;
  pages: Map<string, string>;
}

async function snapshot(days: string[]): Promise<Map<string, DayState>> {
  const result = new Map<string, DayState>();
  for (const day of days) {
    const pages = new Map<string, string>();
    for (const { loader, address, params } of addresses(day)) {
      // Each address is one the page cache keeps under this day's history revision.
      const url = new URL(address, "http://tracker.test");
      expect(pastDayOfPage(url.pathname, url.search, today()), address).toBe(day);
      pages.set(address, await shown(loader, address, params ?? {}));
    }
    result.set(day, { revision: historyRevision(day), pages });
  }
  return result;
}

/**
 * Runs `write` and checks that, on every day whose history revision held, every page shows what it
 * showed. Returns the days whose revision moved and those where a page changed.
 */
async function afterWrite(write: () => void | Promise<void>): Promise<{ moved: string[]; changed: string[]; days: string[] }> {
  const days = pastDays();
  const before = await snapshot(days);
  await write();
  const after = await snapshot(days);
  const moved: string[] = [];
  const changed: string[] = [];
  for (const day of days) {
    const was = before.get(day)!;
    const now = after.get(day)!;
    if (now.revision !== was.revision) moved.push(day);
    for (const [address, page] of was.pages) {
      if (now.pages.get(address) === page) continue;
      changed.push(day);
      expect(now.revision, `${address} changed: its day's history revision must move`).not.toBe(was.revision);
    }
  }
  return { moved, changed: [...new Set(changed)], days };
}

function latestOpenLetter(): { slug: string; sentOn: string } {
  const row = db.get<{ slug: string; sentOn: string }>(sql`
    SELECT slug, sent_on AS sentOn FROM letters WHERE closed_on IS NULL ORDER BY sent_on DESC, id DESC LIMIT 1`);
  expect(row, "the demo has an open letter").toBeTruthy();
  return row!;
}

function earliestLetter(): { slug: string; id: number } {
  return db.get<{ slug: string; id: number }>(sql`SELECT slug, id FROM letters ORDER BY sent_on, id LIMIT 1`)!;
}

describe("history revisions of past-date pages", () => {
  it("hold for a page read twice with no write between", async () => {
    const result = await afterWrite(() => {});
    expect(result.moved).toEqual([]);
    expect(result.changed).toEqual([]);
  });

  it("stay put, for days before the letter was sent, when an extension, a response or a closing is recorded", async () => {
    const latest = latestOpenLetter();
    const extended = await afterWrite(() => {
      expect(addDeadlineChange({ letterSlug: latest.slug, values: { newDeadline: "2027-03-01", grantedOn: today() }, actor: SYSTEM_ACTOR }).ok).toBe(true);
    });
    const before = extended.days.filter((day) => day < latest.sentOn);
    expect(before.length, "days before the latest letter").toBeGreaterThan(0);
    expect(extended.moved.filter((day) => day < latest.sentOn)).toEqual([]);
    // And it moves for the days the letter is shown on.
    expect(extended.moved).toEqual(extended.days.filter((day) => day >= latest.sentOn));

    const answered = await afterWrite(() => {
      const saved = saveResponse({
        letterSlug: latest.slug,
        today: today(),
        actor: SYSTEM_ACTOR,
        input: { receivedOn: today(), from: "Department", completeness: "partial", summary: "Some of it.", sourceUrl: null, notes: null },
      });
      expect(saved.ok).toBe(true);
    });
    expect(answered.moved.filter((day) => day < latest.sentOn)).toEqual([]);

    const closed = await afterWrite(() => {
      expect(setLetterClosed({ letterSlug: latest.slug, closing: { closedOn: today(), reason: "Answered in a briefing" }, actor: SYSTEM_ACTOR }).ok).toBe(true);
    });
    expect(closed.moved.filter((day) => day < latest.sentOn)).toEqual([]);
  });

  it("move for every day a change to an early letter's questions or answers can show on", async () => {
    const early = earliestLetter();
    const result = await afterWrite(() => {
      db.run(sql`UPDATE questions SET text = text || ' (corrected)' WHERE letter_id = ${early.id}`);
      const saved = saveResponse({
        letterSlug: early.slug,
        today: today(),
        actor: SYSTEM_ACTOR,
        input: { receivedOn: addCalendarDays(today(), -3), from: "Department", completeness: "full", summary: "All of it.", sourceUrl: null, notes: null },
      });
      expect(saved.ok).toBe(true);
    });
    expect(result.changed.length, "pages of past days show the early letter").toBeGreaterThan(0);
    expect(result.moved).toEqual(result.days);
  });

  it("move for every day when names, titles, sent dates or the set of letters change", async () => {
    const early = earliestLetter();
    const writes: Array<[string, () => void]> = [
      ["an agency renamed", () => db.run(sql`UPDATE agencies SET name = name || ' (renamed)' WHERE id IN (SELECT agency_id FROM letter_recipients WHERE agency_id IS NOT NULL LIMIT 1)`)],
      ["a member renamed", () => db.run(sql`UPDATE members SET name = name || ' Jr.' WHERE id IN (SELECT member_id FROM letter_senders LIMIT 1)`)],
      ["a letter retitled", () => db.update(letters).set({ title: "Retitled" }).where(eq(letters.id, early.id)).run()],
      ["a letter's sent date moved later", () => db.update(letters).set({ sentOn: addCalendarDays(today(), -2) }).where(eq(letters.id, early.id)).run()],
      ["a letter added on an early date", () => void createLetter(db, { sent_on: "2019-01-02", questions: [{ n: 1, text: "Asked early?", kind: "question" }] })],
      ["a letter deleted", () => expect(deleteLetter({ slug: latestOpenLetter().slug, actor: SYSTEM_ACTOR }).ok).toBe(true)],
      ["a document's text extracted", () => {
        const sha = "b".repeat(64);
        db.run(sql`INSERT INTO documents (sha256, media_type, byte_size, original_name) VALUES (${sha}, 'application/pdf', 10, 'a.pdf')`);
        db.run(sql`INSERT INTO document_pages (document_sha256, number, text) VALUES (${sha}, 1, 'Department text')`);
      }],
    ];
    for (const [name, write] of writes) {
      const result = await afterWrite(write);
      expect(result.moved, name).toEqual(result.days);
    }
  });

  it("move, for days before a later letter was sent, when that letter's searchable text changes (search ranks by the whole index)", async () => {
    // Two early letters match "alpha beta" equally: the first created ranks first. A late letter's
    // response that says "alpha" makes "alpha" commoner across the search index (bm25's IDF reads
    // every row, whatever its letter's date), so the beta-heavy early letter ranks first as of a
    // day before the late letter was sent: that day's search page changed.
    const alphaHeavy = createLetter(db, { sent_on: "2019-01-02", title: "Alpha alpha alpha beta", questions: [{ n: 1, text: "Why?", kind: "question" }] });
    const betaHeavy = createLetter(db, { sent_on: "2019-01-02", title: "Beta beta beta alpha", questions: [{ n: 1, text: "Why?", kind: "question" }] });
    const late = latestOpenLetter();
    const day = "2019-01-03";
    expect(day < late.sentOn).toBe(true);
    const address = `/search?q=alpha+beta&kind=letter&asOf=${day}`;
    const order = async () => {
      const page = JSON.parse(await shown(searchLoader, address, {})) as { result: { groups: Array<{ hits: Array<{ letterSlug: string }> }> } };
      return page.result.groups.flatMap((group) => group.hits.map((hit) => hit.letterSlug));
    };
    const url = new URL(address, "http://tracker.test");
    expect(pastDayOfPage(url.pathname, url.search, today())).toBe(day);
    // The revision the page cache, the ETag and nginx keep this page under (scripts/serve.ts): at its
    // own address, at its data's (Remix's client navigating) and as Remix routes another spelling.
    const spellings = [url.pathname, `${url.pathname}.data`, "/SEARCH", "/Search.data"];
    const revision = () => spellings.map((pathname) => pageRevisionOf(pathname, url.search));
    const before = { order: await order(), revision: revision() };
    expect(before.order).toEqual([alphaHeavy.slug, betaHeavy.slug]);
    const saved = saveResponse({
      letterSlug: late.slug,
      today: today(),
      actor: SYSTEM_ACTOR,
      input: { receivedOn: today(), from: "Department", completeness: "partial", summary: "Alpha. Alpha again, alpha.", sourceUrl: null, notes: null },
    });
    expect(saved.ok).toBe(true);
    const after = { order: await order(), revision: revision() };
    // The write reached the page of the early day...
    expect(after.order).toEqual([betaHeavy.slug, alphaHeavy.slug]);
    // ...so that day's revision must move, whichever address asks for it (or the page must be kept
    // under the data revision, null here, which every write moves).
    spellings.forEach((pathname, i) => {
      const [was, is] = [before.revision[i], after.revision[i]];
      expect(is === null || is !== was, `${pathname}: ${was} → ${is}`).toBe(true);
    });
    expect(before.revision[0]).not.toBeNull();
  });

  it("are kept by triggers a later migration rebuilding a table would drop", () => {
    const triggers = db.$client.prepare("SELECT tbl_name AS tableName, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%history_marks%'").all() as Array<{
      tableName: string;
      sql: string;
    }>;
    const on = (table: string, write: string) => triggers.some((trigger) => trigger.tableName === table && new RegExp(`AFTER ${write}\\b`, "i").test(trigger.sql));
    for (const [table, writes] of [
      ["letter_page_revisions", ["INSERT", "UPDATE", "DELETE"]],
      ["data_revision", ["UPDATE"]],
      ["document_pages", ["INSERT", "UPDATE", "DELETE"]],
    ] as const) {
      for (const write of writes) expect(on(table, write), `${table} ${write}`).toBe(true);
    }
  });

  it("never comes back, after a restore, to a number a kept page was kept under", async () => {
    const day = pastDays()[1] as string;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "history-restore-"));
    const backup = path.join(dir, "backup.db");
    backupDatabase({ source: env.DATABASE_PATH, destination: backup });
    // Writes after the backup take the day's revision past the backup's numbers.
    for (let i = 0; i < 3; i++) db.run(sql`UPDATE agencies SET name = name || '.' WHERE id = (SELECT MIN(id) FROM agencies)`);
    const beforeRestore = historyRevision(day);
    closeDb();
    restoreDatabase({ file: backup, target: env.DATABASE_PATH, filesPath: path.join(dir, "files") });
    db = getDb();
    const seen = new Set([beforeRestore]);
    const afterRestore = historyRevision(day);
    expect(seen.has(afterRestore), "the day's revision right after the restore").toBe(false);
    const n = (revision: string | null) => Number(revision?.replace("history-", ""));
    expect(n(afterRestore)).toBeGreaterThan(n(beforeRestore));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
