import ICAL from "ical.js";
import { XMLParser } from "fast-xml-parser";
import { eq } from "drizzle-orm";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeEach, describe, expect, it, vi } from "vitest";
// These tests hold the demo letters to the status rules as they read without implied deadlines
// (DEFAULT_RESPONSE_DAYS=0: a letter that sets no deadline is never overdue); the implied deadline
// has its own tests (letter-state.test.ts, status.test.ts, test/e2e/dashboard.test.ts).
vi.hoisted(() => {
  process.env.DEFAULT_RESPONSE_DAYS = "0";
});

import type { Db } from "../../db/client.server";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { letters } from "../../db/schema";
import { loader as agenciesApi } from "~/routes/api.agencies";
import { loader as lettersApi } from "~/routes/api.letters";
import { loader as letterApi } from "~/routes/api.letters_.$slug";
import { loader as questionsApi } from "~/routes/api.questions";
import { loader as calendar } from "~/routes/calendar[.]ics";
import { loader as lettersCsv } from "~/routes/export.letters[.]csv";
import { loader as feed } from "~/routes/feed[.]xml";
import { addExtension, createLetter } from "../factories";
import { freshDatabase } from "../support/database";
import { env } from "~/env.server";

const BUTLER = "comer-cheatle-butler-documents-2024-07-15";
const AFGHANISTAN = "mccaul-blinken-afghanistan-withdrawal-2023-01-12";

type Loader = (args: LoaderFunctionArgs) => Response | Promise<Response>;

async function get(loader: Loader, path: string, params: Record<string, string> = {}): Promise<Response> {
  return loader({ request: new Request(`http://tracker.test${path}`), params, context: {} } as LoaderFunctionArgs);
}

async function json(loader: Loader, path: string, params: Record<string, string> = {}) {
  const response = await get(loader, path, params);
  return { status: response.status, body: (await response.json()) as any };
}

let db: Db;
beforeEach(() => {
  db = freshDatabase();
  seedFromFile({ db, file: DEMO_SEED_FILE });
});

describe("read API", () => {
  it("lists letters with the /letters filters and page links", async () => {
    const { status, body } = await json(lettersApi, "/api/letters?status=overdue&per_page=1&asOf=2026-01-01");
    expect(status).toBe(200);
    expect(body.meta).toEqual({
      total: 2,
      page: 1,
      per_page: 1,
      page_count: 2,
      as_of: "2026-01-01",
      next: "/api/letters?status=overdue&asOf=2026-01-01&page=2&per_page=1",
      prev: null,
    });
    expect(body.data[0]).toEqual({
      slug: BUTLER,
      title: "Oversight Republicans demand Secret Service records on the Butler rally shooting",
      sent_on: "2024-07-15",
      chamber: "House",
      committee: "House Committee on Oversight and Accountability (Republicans)",
      status: "overdue",
      deadline: "2024-07-18",
      effective_deadline: "2024-07-18",
      deadline_source: "letter",
      days_outstanding: 535,
      response_days: null,
      questions_total: 6,
      questions_open: 6,
      agencies: [{ slug: "u-s-secret-service", name: "U.S. Secret Service", acronym: "USSS" }],
      url: `/letters/${BUTLER}`,
    });
    const second = await json(lettersApi, body.meta.next);
    expect(second.body.data.map((letter: { slug: string }) => letter.slug)).toEqual([AFGHANISTAN]);
    expect(second.body.meta.next).toBeNull();
  });

  it.each([
    ["/api/letters?status=lost", "status"],
    ["/api/letters?asOf=2025-02-30", "asOf"],
    ["/api/letters?per_page=0", "per_page"],
    ["/api/letters?page=99", "page"],
    ["/api/letters?sort=random", "sort"],
  ])("answers %s with 400 naming %s", async (path, parameter) => {
    const { status, body } = await json(lettersApi, path);
    expect(status).toBe(400);
    expect(body.error.parameter).toBe(parameter);
    expect(body.error.message).toMatch(new RegExp(`^${parameter}: `));
  });

  it("gives one letter without staff-only notes, and a JSON 404 for an unknown slug", async () => {
    const { status, body } = await json(letterApi, `/api/letters/${BUTLER}`, { slug: BUTLER });
    expect(status).toBe(200);
    expect(body.data).toMatchObject({ slug: BUTLER, status: "overdue", senders: [{ name: "James Comer", party: "R", state: "KY", is_lead: true }] });
    expect(body.data.questions).toHaveLength(6);
    expect(body.data).not.toHaveProperty("internal_notes");
    expect(body.data).not.toHaveProperty("internalNotes");
    const missing = await json(letterApi, "/api/letters/nope", { slug: "nope" });
    expect(missing).toEqual({ status: 404, body: { error: { status: 404, message: 'There is no letter "nope".', parameter: "slug" } } });
  });

  it("lists questions (open by default) and agencies with counts", async () => {
    const all = await json(questionsApi, "/api/questions?status=all&per_page=500");
    expect(all.body.meta.total).toBe(58); // every question in the data set, counted by hand
    const first = await json(questionsApi, "/api/questions?status=all");
    expect(first.body.meta).toMatchObject({ page: 1, per_page: 50, page_count: 2, prev: null, next: "/api/questions?status=all&page=2" });
    const second = await json(questionsApi, first.body.meta.next);
    expect(second.body.data).toHaveLength(8);
    expect(second.body.meta).toMatchObject({ next: null, prev: "/api/questions?status=all&page=1" });
    expect((await json(questionsApi, "/api/questions?status=all&page=3")).body.error.parameter).toBe("page");
    const butler = await json(questionsApi, `/api/questions?agency=u-s-secret-service&asOf=2026-01-01`);
    expect(butler.body.data.filter((q: { letter_slug: string }) => q.letter_slug === BUTLER)).toHaveLength(6);
    expect(butler.body.data[0]).toHaveProperty("overdue");
    const agencies = await json(agenciesApi, "/api/agencies");
    const state = agencies.body.data.find((agency: { slug: string }) => agency.slug === "u-s-department-of-state");
    expect(state.letters_total).toBe(11); // letters with a recipient at State, counted by hand
    expect(agencies.body.data).toHaveLength(7);
  });
});

describe("exports over HTTP", () => {
  it("send a dated attachment without a byte-order mark (decision 0015)", async () => {
    const response = await get(lettersCsv, "/export/letters.csv?status=overdue&asOf=2026-01-01");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="letters-2026-01-01.csv"');
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes.slice(0, 3))).toBe("id,");
    expect(new TextDecoder().decode(bytes).split("\r\n").filter(Boolean)).toHaveLength(3);
  });

  it("refuse bad filter values instead of exporting something else", async () => {
    const response = await get(lettersCsv, "/export/letters.csv?status=lost");
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/status: "lost"/);
  });
});

function events(ics: string) {
  const component = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  return component.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    return { uid: event.uid, start: event.startDate.toString(), isDate: event.startDate.isDate, summary: event.summary };
  });
}

describe("calendar", () => {
  it("has one all-day event per open letter's effective deadline", async () => {
    const response = await get(calendar, "/calendar.ics?from=2023-01-01&to=2025-12-31");
    expect(response.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    // Of the seeded letters with a deadline, only these two are still open (both overdue).
    expect(events(await response.text())).toEqual([
      { uid: `letter-${AFGHANISTAN}@oversight-letter-tracker`, start: "2023-01-26", isDate: true, summary: expect.stringMatching(/^Deadline: /) },
      { uid: `letter-${BUTLER}@oversight-letter-tracker`, start: "2024-07-18", isDate: true, summary: expect.stringMatching(/^Deadline: /) },
    ]);
    expect(events(await (await get(calendar, "/calendar.ics?agency=u-s-secret-service&from=2023-01-01&to=2025-12-31")).text()).map((e) => e.start)).toEqual(["2024-07-18"]);
    expect(events(await (await get(calendar, "/calendar.ics?status=answered&from=2023-01-01&to=2025-12-31")).text())).toEqual([]);
  });

  it.each(["Europe/Berlin", "Pacific/Kiritimati", "Pacific/Honolulu"])("puts the event on the deadline's day when the server runs in %s", async (zone) => {
    const saved = process.env.TZ;
    process.env.TZ = zone;
    try {
      const text = await (await get(calendar, "/calendar.ics?agency=u-s-secret-service&from=2023-01-01&to=2025-12-31")).text();
      expect(text).toContain("DTSTART;VALUE=DATE:20240718");
    } finally {
      process.env.TZ = saved;
    }
  });

  it("moves a letter's event when its deadline is extended (same UID)", async () => {
    const letter = createLetter(db, { sent_on: "2025-01-10", deadline: "2025-02-01" });
    const find = async () => events(await (await get(calendar, "/calendar.ics?from=2023-01-01&to=2025-12-31")).text()).filter((e) => e.uid.includes(letter.slug));
    expect(await find()).toEqual([expect.objectContaining({ uid: `letter-${letter.slug}@oversight-letter-tracker`, start: "2025-02-01" })]);
    addExtension(db, letter.id, { newDeadline: "2025-03-15", grantedOn: "2025-01-30" });
    expect(await find()).toEqual([expect.objectContaining({ uid: `letter-${letter.slug}@oversight-letter-tracker`, start: "2025-03-15" })]);
  });
});

describe("feed", () => {
  it("is Atom with newly logged letters and responses, newest first", async () => {
    const letter = createLetter(db, { title: "A freshly logged letter" });
    db.update(letters).set({ createdAt: Date.now() + 60_000 }).where(eq(letters.id, letter.id)).run();
    const response = await get(feed, "/feed.xml");
    expect(response.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(await response.text());
    const raw = parsed.feed.entry as Array<{ title: { "#text": string; "@_type": string }; id: string; link: { "@_href": string } }>;
    const entries = raw.map((entry) => ({ ...entry, title: entry.title["#text"] }));
    // 22 letters and 8 responses, all within the 50 newest.
    expect(entries).toHaveLength(30);
    expect(entries[0]!.title).toBe("New letter: A freshly logged letter");
    expect(entries[0]!.link["@_href"]).toBe(`${env.PUBLIC_URL}/letters/${letter.slug}`);
    expect(entries.filter((entry) => entry.title.startsWith("Response ("))).toHaveLength(8);
    expect(new Set(entries.map((entry) => entry.id)).size).toBe(30);
  });
});
