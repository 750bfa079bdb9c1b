/**
 * People, agencies and committees are search results in their own right (issue 13 item 3): found
 * by name through the pickers' index, each linked by slug with its letters and open letters, five
 * per group on the first page and more on the group's own page.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.FIGURE_CACHE = "off";
});

import type { Db } from "../../db/client.server";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { today } from "~/domain/dates";
import { NAMES_PER_GROUP } from "~/domain/search";
import { searchNames } from "~/models/search.server";
import { freshDatabase } from "../support/database";
import { queryPlans } from "../support/query-plans";

let db: Db;

beforeAll(() => {
  db = freshDatabase();
  seedFromFile({ db, file: DEMO_SEED_FILE });
});

const group = (q: string, kind: "members" | "agencies" | "committees", only: typeof kind | null = null) =>
  searchNames({ q, asOf: today(), only }).find((each) => each.kind === kind)!;

describe("search finds people, agencies and committees by name", () => {
  it("finds Jamie Raskin among people, with the letters he sent and how many are open", () => {
    const raskin = group("Raskin", "members").hits.find((hit) => hit.label === "Jamie Raskin (D-MD)")!;
    expect(raskin).toBeDefined();
    const sent = db.get<{ n: number }>(sql`SELECT COUNT(DISTINCT ls.letter_id) AS n FROM letter_senders ls JOIN members m ON m.id = ls.member_id
      WHERE m.slug = ${raskin.value}`)!.n;
    expect(sent).toBeGreaterThan(0);
    expect(raskin.letters).toBe(sent);
    expect(raskin.open).toBeGreaterThanOrEqual(0);
    expect(raskin.open).toBeLessThanOrEqual(sent);
  });

  it("finds the Department of State among agencies, and committees by a word of their name", () => {
    expect(group("State", "agencies").hits.map((hit) => hit.label)).toContain("U.S. Department of State");
    const state = group("Department of State", "agencies").hits.find((hit) => hit.label === "U.S. Department of State")!;
    expect(state.letters).toBeGreaterThan(0);
    const oversight = group("Oversight", "committees");
    expect(oversight.hits.length).toBeGreaterThan(0);
    expect(oversight.hits.every((hit) => /oversight/i.test(hit.label))).toBe(true);
  });

  it("bounds each group, says there are more, and gives more on the group's own page", () => {
    const first = group("Committee", "committees");
    expect(first.hits).toHaveLength(NAMES_PER_GROUP);
    expect(first.more).toBe(true);
    const more = group("Committee", "committees", "committees");
    expect(more.hits.length).toBeGreaterThan(NAMES_PER_GROUP);
    expect(more.hits.length).toBeLessThanOrEqual(20);
  });

  it("finds nothing for words that start no name, and counts only letters sent by the date", () => {
    expect(searchNames({ q: "zzzqx", asOf: today() }).every((each) => each.hits.length === 0)).toBe(true);
    const early = searchNames({ q: "Raskin", asOf: "2000-01-01" }).find((each) => each.kind === "members")!;
    expect(early.hits.every((hit) => hit.letters === 0)).toBe(true);
  });

  it("reads names through the pickers' index (no other index of names)", () => {
    const plans = queryPlans(db, () => searchNames({ q: "Meeks", asOf: today() }), /picker_index/);
    expect(plans.length).toBe(3);
    for (const plan of plans) expect(plan).toMatch(/VIRTUAL TABLE INDEX/);
  });
});
