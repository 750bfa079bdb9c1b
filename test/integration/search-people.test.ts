/**
 * Search finds letters by who sent them, to whom, the committee and the topics (issue 13), and every
 * result says its letter's status and days outstanding. The letter's row of search_index holds
 * those names (migration 0017), kept in step by triggers.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.FIGURE_CACHE = "off";
});

import type { Db } from "../../db/client.server";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { today } from "~/domain/dates";
import { search } from "~/models/search.server";
import { freshDatabase } from "../support/database";

let db: Db;
const MEEKS_CASTRO = "HFAC Democrats ask Rubio for the El Salvador detention deal terms and State Department funding details";

beforeAll(() => {
  db = freshDatabase();
  seedFromFile({ db, file: DEMO_SEED_FILE });
});

const letterHits = (q: string, asOf = today()) => search({ q, asOf, kind: "letter", pageSize: 50 }).groups[0]!;

describe("search finds people, agencies, committees and topics", () => {
  it.each([
    ["Raskin", "Jamie Raskin"],
    ["Meeks", "Gregory Meeks"],
    ["Castro", "Joaquin Castro"],
  ])("%s finds the letters %s sent", (q, name) => {
    const sent = db.all<{ title: string }>(sql`SELECT l.title FROM letters l JOIN letter_senders ls ON ls.letter_id = l.id
      JOIN members m ON m.id = ls.member_id WHERE m.name = ${name}`);
    expect(sent.length).toBeGreaterThan(0);
    const found = letterHits(q).hits.map((hit) => hit.letterTitle);
    for (const { title } of sent) expect(found).toContain(title);
  });

  it("CECOT (a topic) finds the Meeks/Castro El Salvador letter", () => {
    expect(letterHits("CECOT").hits.map((hit) => hit.letterTitle)).toContain(MEEKS_CASTRO);
    expect(letterHits("cecot meeks").hits.map((hit) => hit.letterTitle)).toContain(MEEKS_CASTRO);
  });

  it("finds letters by agency and committee", () => {
    expect(letterHits("Department of State").hits.map((hit) => hit.letterTitle)).toContain(MEEKS_CASTRO);
    expect(letterHits("Foreign Affairs").hits.map((hit) => hit.letterTitle)).toContain(MEEKS_CASTRO);
  });

  it("every result shows its letter's status and days outstanding", () => {
    const all = search({ q: "El Salvador", asOf: today() }).groups.flatMap((group) => group.hits);
    expect(all.length).toBeGreaterThan(0);
    for (const hit of all) {
      expect(["awaiting", "overdue", "partial", "refused", "answered", "closed"]).toContain(hit.status);
      expect(hit.daysOutstanding === null || hit.daysOutstanding >= 0).toBe(true);
    }
    const meeks = letterHits("Meeks Castro").hits.find((hit) => hit.letterTitle === MEEKS_CASTRO)!;
    const stored = db.get<{ first: string | null; sent: string }>(
      sql`SELECT first_response_on AS first, sent_on AS sent FROM letters WHERE title = ${MEEKS_CASTRO}`,
    )!;
    if (stored.first === null) expect(meeks.daysOutstanding).toBeGreaterThan(300);
    else expect(meeks.daysOutstanding).toBeNull();
  });

  it("follows renames and removed topics (the triggers)", () => {
    db.run(sql`UPDATE tags SET name = 'Terrorism Confinement Center' WHERE slug = 'cecot'`);
    expect(letterHits("Confinement").hits.map((hit) => hit.letterTitle)).toContain(MEEKS_CASTRO);
    db.run(sql`DELETE FROM letter_tags WHERE tag_id = (SELECT id FROM tags WHERE slug = 'cecot')`);
    expect(letterHits("Confinement").total).toBe(0);
    db.run(sql`UPDATE members SET name = 'Gregory W. Meeksworth' WHERE name = 'Gregory Meeks'`);
    expect(letterHits("Meeksworth").hits.map((hit) => hit.letterTitle)).toContain(MEEKS_CASTRO);
  });
});
