/**
 * An agency's badge shows four of the agency page's figures. It read the whole scorecard for them:
 * the agency's components, officials and question counts too (the question counts over every
 * question of the agency's letters, computed again after every change to the data). Now it reads the
 * figures alone, the same kept figures as the scorecard, and its facts are unchanged.
 */
import { sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "../../db/client.server";
import { getAgencyScorecard } from "~/models/agencies.server";
import { questionCounts } from "~/models/dashboard.server";
import { agencyBadgeFacts } from "~/models/share.server";
import { buildLetterRecord, createLetter } from "../factories";
import { freshDatabase } from "../support/database";

vi.mock("~/models/dashboard.server", async (importOriginal) => {
  const original = await importOriginal<typeof import("~/models/dashboard.server")>();
  return { ...original, questionCounts: vi.fn(original.questionCounts) };
});

let db: Db;
const asOf = "2025-06-30";
beforeAll(() => {
  db = freshDatabase();
  for (const [index, day] of ["2025-01-10", "2025-02-11", "2025-03-12", "2025-04-13", "2025-05-14", "2025-06-15"].entries()) {
    createLetter(
      db,
      buildLetterRecord({ id: `badge-figures-${index}-${day}`, sent_on: day, recipients: [{ name: "Pat Example", title: "Director", agency: "Bureau of Badge Figures" }] }),
    );
  }
});

beforeEach(() => {
  vi.mocked(questionCounts).mockClear();
});

describe("an agency's badge facts", () => {
  it("come from the figures alone: no question counts are made", () => {
    const slug = db.get<{ slug: string }>(sql`SELECT slug FROM agencies WHERE name = 'Bureau of Badge Figures'`)!.slug;
    const facts = agencyBadgeFacts({ slug, asOf });
    expect(facts?.letters).toBe(6);
    // Before: the scorecard's question counts were made for the badge (once, then kept for today).
    expect(questionCounts).not.toHaveBeenCalled();
  });

  it("are the scorecard's figures, for an agency with letters, one before its first letter, and none", () => {
    const slug = db.get<{ slug: string }>(sql`SELECT slug FROM agencies WHERE name = 'Bureau of Badge Figures'`)!.slug;
    for (const day of [asOf, "2025-03-31", "2024-12-31"]) {
      const scorecard = getAgencyScorecard({ slug, asOf: day })!;
      const figures = scorecard.figures;
      expect(agencyBadgeFacts({ slug, asOf: day }), day).toEqual({
        name: scorecard.agency.acronym ?? scorecard.agency.name,
        letters: figures?.letters ?? 0,
        answered: { count: figures?.answered.count ?? 0, n: figures?.answered.n ?? 0 },
        medianDays: figures?.medianDays ?? null,
        medianRated: figures?.medianRated ?? false,
      });
    }
    expect(agencyBadgeFacts({ slug: "no-such-agency", asOf })).toBeNull();
  });
});
