/**
 * The feed and the calendar held to their standards (issue 13, item 5), read back by parsers that
 * are not the ones writing them: @xmldom/xmldom (a strict XML parser) for the Atom feed (RFC 4287),
 * ical.js for the calendar (RFC 5545).
 */
import { DOMParser, type Element } from "@xmldom/xmldom";
import ICAL from "ical.js";
import { eq } from "drizzle-orm";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { letters } from "../../db/schema";
import { env } from "~/env.server";
import { loader as calendar } from "~/routes/calendar[.]ics";
import { loader as feed } from "~/routes/feed[.]xml";
import { runReadTask } from "~/models/read-tasks.server";
import { installReadPool, type ReadPool } from "~/utils/read-pool.server";
import { addResponse, createLetter } from "../factories";
import { freshDatabase } from "../support/database";
import { stubReadPool } from "../support/read-pools";

type Loader = (args: LoaderFunctionArgs) => Response | Promise<Response>;

/** A request whose Host a caller chose: nothing in the answer may be built from it. */
async function get(loader: Loader, path: string): Promise<Response> {
  return loader({ request: new Request(`http://evil.example${path}`, { headers: { Host: "evil.example" } }), params: {}, context: {} } as LoaderFunctionArgs);
}

const ATOM = "http://www.w3.org/2005/Atom";
const HOSTILE = `<script>alert("feed")</script> & ]]> <b>bold</b> 'quoted'`;

function parseXml(xml: string) {
  const problems: string[] = [];
  const document = new DOMParser({
    onError: (level, message) => {
      if (level !== "warning") problems.push(message);
    },
  }).parseFromString(xml, "application/xml");
  expect(problems).toEqual([]);
  return document;
}

function children(element: Element, name: string): Element[] {
  return Array.from(element.childNodes).filter((node): node is Element => node.nodeType === 1 && (node as Element).localName === name && (node as Element).namespaceURI === ATOM);
}

let db: Db;
beforeEach(() => {
  db = freshDatabase();
  seedFromFile({ db, file: DEMO_SEED_FILE });
});

describe("Atom feed (RFC 4287)", () => {
  it("has an author, and ids and links from PUBLIC_URL, never from the Host header", async () => {
    const xml = await (await get(feed, "/feed.xml")).text();
    expect(xml).not.toContain("evil.example");
    const root = parseXml(xml).documentElement!;
    expect(root.localName).toBe("feed");
    expect(root.namespaceURI).toBe(ATOM);
    // 4.1.1: atom:feed has exactly one id, title and updated, and an author (or every entry has one).
    for (const name of ["id", "title", "updated", "author"]) expect(children(root, name), name).toHaveLength(1);
    expect(children(children(root, "author")[0]!, "name")[0]!.textContent).toBe("Oversight Letter Tracker");
    expect(children(root, "id")[0]!.textContent).toBe(`${env.PUBLIC_URL}/feed.xml`);
    const self = children(root, "link").find((link) => link.getAttribute("rel") === "self");
    expect(self?.getAttribute("href")).toBe(`${env.PUBLIC_URL}/feed.xml`);
    const entries = children(root, "entry");
    expect(entries.length).toBeGreaterThan(20);
    for (const entry of entries) {
      for (const name of ["id", "title", "updated", "summary"]) expect(children(entry, name), name).toHaveLength(1);
      expect(children(entry, "id")[0]!.textContent!.startsWith(`${env.PUBLIC_URL}/letters/`)).toBe(true);
      expect(children(entry, "link")[0]!.getAttribute("href")!.startsWith(`${env.PUBLIC_URL}/letters/`)).toBe(true);
      expect(new Date(children(entry, "updated")[0]!.textContent!).toISOString()).toBe(children(entry, "updated")[0]!.textContent);
    }
  });

  it("sends a title and summary holding markup as text, never as markup", async () => {
    const letter = createLetter(db, { title: HOSTILE, summary: `Summary ${HOSTILE}` });
    db.update(letters).set({ createdAt: Date.now() + 60_000 }).where(eq(letters.id, letter.id)).run();
    const xml = await (await get(feed, "/feed.xml")).text();
    const document = parseXml(xml);
    // No element of the document came from the title: not a script, not a b.
    expect(document.getElementsByTagName("script").length).toBe(0);
    expect(document.getElementsByTagName("b").length).toBe(0);
    const entry = children(document.documentElement!, "entry")[0]!;
    const title = children(entry, "title")[0]!;
    const summary = children(entry, "summary")[0]!;
    for (const element of [title, summary]) {
      expect(element.getAttribute("type")).toBe("text");
      expect(Array.from(element.childNodes).every((node) => node.nodeType === 3)).toBe(true);
    }
    expect(title.textContent).toBe(`New letter: ${HOSTILE}`);
    expect(summary.textContent).toContain(`Summary ${HOSTILE}`);
  });

  it("keeps a response's title as text too", async () => {
    const letter = createLetter(db, { title: HOSTILE, sent_on: "2025-01-10" });
    addResponse(db, letter.id, { receivedOn: "2025-02-01", completeness: "partial", from: "<i>Agency</i>" });
    const document = parseXml(await (await get(feed, "/feed.xml")).text());
    const titles = children(document.documentElement!, "entry").map((entry) => children(entry, "title")[0]!.textContent);
    expect(titles).toContain(`Response (partial answer) to: ${HOSTILE}`);
    expect(document.getElementsByTagName("i").length).toBe(0);
  });
});

describe("calendar (RFC 5545)", () => {
  it("ends every line with CRLF, the last one too, and folds lines at 75 octets", async () => {
    for (const path of ["/calendar.ics?from=2023-01-01&to=2025-12-31", "/calendar.ics?status=answered"]) {
      const ics = await (await get(calendar, path)).text();
      expect(ics.endsWith("END:VCALENDAR\r\n"), path).toBe(true);
      const lines = ics.split("\r\n");
      expect(lines.pop()).toBe("");
      for (const line of lines) {
        expect(line).not.toMatch(/[\r\n]/);
        expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
      }
      // An independent parser reads the whole of it.
      expect(new ICAL.Component(ICAL.parse(ics) as unknown[]).name).toBe("vcalendar");
    }
  });

  it("writes every event in the read pool: the event loop only passes the pool's bytes on (a long window held every visitor for seconds)", async () => {
    const asked: string[] = [];
    const chunks: Uint8Array[] = [];
    const recording: ReadPool = stubReadPool(async (name, args) => {
      asked.push(name);
      const result = runReadTask(name, args as never) as { bytes: Uint8Array };
      chunks.push(result.bytes);
      return result as never;
    });
    installReadPool(recording);
    try {
      const ics = await (await get(calendar, "/calendar.ics?from=2023-01-01&to=2025-12-31")).text();
      expect(new Set(asked)).toEqual(new Set(["deadlineCalendarChunk"]));
      const events = chunks.map((bytes) => new TextDecoder().decode(bytes)).join("");
      expect(events).toContain("BEGIN:VEVENT");
      // The head, the pool's events exactly, the tail: nothing formatted on this thread.
      const head = ics.slice(0, ics.indexOf("BEGIN:VEVENT"));
      expect(ics).toBe(`${head}${events}END:VCALENDAR\r\n`);
    } finally {
      installReadPool(null);
    }
  });

  it("links each event to the letter from PUBLIC_URL, never from the Host header", async () => {
    const ics = await (await get(calendar, "/calendar.ics?from=2023-01-01&to=2025-12-31")).text();
    expect(ics).not.toContain("evil.example");
    const component = new ICAL.Component(ICAL.parse(ics) as unknown[]);
    const urls = component.getAllSubcomponents("vevent").map((vevent) => vevent.getFirstPropertyValue("url"));
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(String(url)).toMatch(new RegExp(`^${env.PUBLIC_URL.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/letters/[a-z0-9-]+$`));
  });
});
