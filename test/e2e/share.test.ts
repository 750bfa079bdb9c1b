/**
 * Sharing one letter's state (issue 13, item 7): the letter page carries Open Graph and Twitter card
 * metadata with absolute addresses from PUBLIC_URL (never the Host header); the card image is a
 * real 1200 × 630 PNG whose text reads "Day N without an answer" (read back by OCR); the letter and
 * agency badges are SVG images, safe to open directly, that keep the small-n rule.
 */
import path from "node:path";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { daysBetween, today } from "~/domain/dates";
import { queryOne } from "../support/journeys";
import { startServer, type RunningServer } from "../support/server";

const PUBLIC_URL = "https://tracker.example.org";
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ PUBLIC_URL });
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

/** A letter still waiting for any answer: its card counts the days. */
const waitingLetter = () =>
  queryOne<{ slug: string; sentOn: string; title: string }>(
    server.databasePath,
    `SELECT l.slug, l.sent_on AS sentOn, l.title FROM letters l
      WHERE l.closed_on IS NULL AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.letter_id = l.id)
      ORDER BY l.sent_on LIMIT 1`,
  )!;

const metaContent = (html: string, attribute: "property" | "name", key: string) =>
  new RegExp(`<meta ${attribute}="${key.replace(/[:]/g, "\\:")}" content="([^"]*)"`).exec(html)?.[1] ?? null;

describe("a letter's link preview", () => {
  it("has Open Graph and Twitter metadata with absolute addresses from PUBLIC_URL, whatever the Host header says", async () => {
    const letter = waitingLetter();
    const response = await fetch(`${server.url}/letters/${letter.slug}`, { headers: { "X-Forwarded-Host": "evil.example", Accept: "text/html" } });
    const html = await response.text();
    const image = `${PUBLIC_URL}/letters/${letter.slug}/card.png`;
    expect(metaContent(html, "property", "og:image")).toBe(image);
    expect(metaContent(html, "name", "twitter:image")).toBe(image);
    expect(metaContent(html, "name", "twitter:card")).toBe("summary_large_image");
    expect(metaContent(html, "property", "og:url")).toBe(`${PUBLIC_URL}/letters/${letter.slug}`);
    const days = daysBetween(letter.sentOn, today());
    expect(metaContent(html, "property", "og:description")).toContain(`Day ${days} without an answer`);
    expect(html).not.toContain("evil.example");
  });

  it("the card is a 1200 × 630 PNG that reads 'Day N without an answer'", async () => {
    const letter = waitingLetter();
    const response = await fetch(`${server.url}/letters/${letter.slug}/card.png`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    const png = Buffer.from(await response.arrayBuffer());
    expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    // IHDR: width and height, big-endian, right after the chunk's length and type.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);

    const require = createRequire(import.meta.url);
    const { createWorker, OEM } = await import("tesseract.js");
    const eng = path.dirname(require.resolve("@tesseract.js-data/eng/package.json"));
    const worker = await createWorker("eng", OEM.LSTM_ONLY, {
      langPath: path.join(eng, "4.0.0_best_int"),
      gzip: true,
      cacheMethod: "none",
      errorHandler: () => {},
    });
    try {
      const { data } = await worker.recognize(png);
      const text = data.text.replace(/\s+/g, " ");
      expect(text).toContain(`Day ${daysBetween(letter.sentOn, today())} without an answer`);
    } finally {
      await worker.terminate();
    }
  }, 180_000);

  it("an unknown letter's card is a 404", async () => {
    expect((await fetch(`${server.url}/letters/no-such-letter/card.png`)).status).toBe(404);
  });
});

describe("badges", () => {
  it("a letter's badge is an SVG image with its state, its text for screen readers, and a policy that runs nothing", async () => {
    const letter = waitingLetter();
    const response = await fetch(`${server.url}/letters/${letter.slug}/badge.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toMatch(/default-src 'none'.*sandbox/);
    const svg = await response.text();
    const days = daysBetween(letter.sentOn, today());
    expect(svg).toMatch(new RegExp(`aria-label="oversight letter: (awaiting reply|overdue) · day ${days}"`));
    expect(svg).not.toMatch(/<script|on\w+=/i);
  });

  it("the letter page shows the badge and the HTML to embed it, with the absolute address", async () => {
    const letter = waitingLetter();
    const html = await (await fetch(`${server.url}/letters/${letter.slug}`, { headers: { Accept: "text/html" } })).text();
    expect(html).toContain(`src="/letters/${letter.slug}/badge.svg"`);
    expect(html).toContain(`&lt;img src=&quot;${PUBLIC_URL}/letters/${letter.slug}/badge.svg&quot;`);
  });

  it("an agency's badge gives its response rate with n, or says it has too few letters to rate", async () => {
    const agencies = [
      queryOne<{ slug: string; acronym: string; n: number }>(
        server.databasePath,
        `SELECT a.slug, COALESCE(a.acronym, a.name) AS acronym, COUNT(DISTINCT r.letter_id) AS n FROM agencies a
          JOIN letter_recipients r ON r.agency_id = a.id GROUP BY a.id HAVING n >= 5 ORDER BY n DESC LIMIT 1`,
      )!,
      queryOne<{ slug: string; acronym: string; n: number }>(
        server.databasePath,
        `SELECT a.slug, COALESCE(a.acronym, a.name) AS acronym, COUNT(DISTINCT r.letter_id) AS n FROM agencies a
          JOIN letter_recipients r ON r.agency_id = a.id GROUP BY a.id HAVING n < 5 ORDER BY n DESC LIMIT 1`,
      )!,
    ];
    const [rated, few] = await Promise.all(agencies.map(async (agency) => (await fetch(`${server.url}/agencies/${agency.slug}/badge.svg`)).text()));
    expect(rated).toMatch(new RegExp(`aria-label="${agencies[0]!.acronym} answers: \\d+% of ${agencies[0]!.n}`));
    expect(few).toContain(`aria-label="${agencies[1]!.acronym} answers: too few letters to rate (n = ${agencies[1]!.n})"`);
    expect((await fetch(`${server.url}/agencies/no-such-agency/badge.svg`)).status).toBe(404);
  });
});
