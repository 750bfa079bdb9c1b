/**
 * The letter page's statements on a database of synthetic letters: each reads one letter's rows
 * through an index or the primary key, never every letter or every question; and its follow-up
 * chain is the one a plain walk (and the query it replaced) gives. The app never runs ANALYZE, so
 * the plans are checked as the app sees them, and again after ANALYZE in case an operator runs it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { letterHistory } from "~/models/audit.server";
import { movedLetterSlug } from "~/models/letter-slugs.server";
import { followUpChain, getLetterDetail } from "~/models/letters.server";
import { seedSyntheticLetters } from "../factories";
import { freshDatabase } from "../support/database";
import { chainedLetterIds, previousFollowUpChain, referenceChains } from "../support/follow-up-chains";
import { queryPlans } from "../support/query-plans";
import { forgetPreparedStatements } from "~/models/prepared.server";

const LETTERS = 3000;
const ASOF = "2026-06-30";
let db: Db;

beforeAll(() => {
  db = freshDatabase();
  seedSyntheticLetters(db, { letters: LETTERS, seed: 5, endDate: ASOF });
});

/**
 * Names a plan may SCAN: the follow-up chain's own common table expressions and their aliases, and
 * json_each over the page's own response ids (one prepared statement for any number of them).
 */
const CHAIN_CTES = new Set(["ancestors", "a", "root", "chain", "c", "json_each"]);

/** Every table a plan scans in full (SCAN lines; a covering-index scan is still a full scan). */
function scannedTables(plan: string): string[] {
  return plan
    .split(" | ")
    .flatMap((step) => /^SCAN (\S+)/.exec(step)?.[1] ?? [])
    .filter((name) => !CHAIN_CTES.has(name));
}

function letterPagePlans(slug: string): string[] {
  // Statements kept prepared from an earlier page would not be prepared (and seen) again.
  forgetPreparedStatements(db);
  return queryPlans(
    db,
    () => {
      const detail = getLetterDetail({ slug, asOf: ASOF })!;
      expect(detail).not.toBeNull();
      letterHistory({ letterId: detail.id });
      movedLetterSlug(`${slug}-renamed`);
    },
    /./,
  );
}

function pageSlugs(): string[] {
  const slug = (query: string) => (db.$client.prepare(query).get() as { slug: string }).slug;
  return [
    // Follows up a letter that others follow up too (a branch), one in the middle, one alone.
    slug(
      "SELECT slug FROM letters WHERE follows_up_id IN (SELECT follows_up_id FROM letters GROUP BY follows_up_id HAVING count(*) > 1) ORDER BY id LIMIT 1",
    ),
    slug("SELECT slug FROM letters WHERE follows_up_id IS NOT NULL AND id IN (SELECT follows_up_id FROM letters) ORDER BY id LIMIT 1"),
    slug("SELECT slug FROM letters WHERE follows_up_id IS NULL ORDER BY id LIMIT 1"),
  ];
}

describe("letter page plans", () => {
  it.each([
    ["as the app runs (no ANALYZE)", false],
    ["after ANALYZE", true],
  ])("reads one letter's rows by index or primary key, %s", (_name, analyze) => {
    if (analyze) db.$client.exec("ANALYZE");
    expect((db.$client.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'").get() as { n: number }).n).toBe(
      analyze ? 1 : 0,
    );
    for (const slug of pageSlugs()) {
      const plans = letterPagePlans(slug);
      // The letter, senders, recipients, tags, questions, responses, verdicts, extensions, chain, history, former slugs.
      expect(plans.length).toBeGreaterThanOrEqual(11);
      const chainPlan = plans.find((plan) => plan.includes("CO-ROUTINE chain"));
      expect(chainPlan).toMatch(/letters_follows_up_idx/);
      for (const plan of plans) {
        expect({ plan, scanned: scannedTables(plan) }).toEqual({ plan, scanned: [] });
        expect(plan).toMatch(/SEARCH \S+ USING (INTEGER PRIMARY KEY|(COVERING )?INDEX)/);
      }
    }
  });
});

describe("followUpChain on synthetic letters", () => {
  it("is what a walk in JavaScript and the previous query give, for every chained letter and some alone", () => {
    const reference = referenceChains(db);
    const { chained, alone } = chainedLetterIds(db, 50);
    expect(chained.length).toBeGreaterThan(100);
    expect(alone).toHaveLength(50);
    let longest = 0;
    for (const id of [...chained, ...alone]) {
      const chain = followUpChain(id);
      expect(chain).toEqual(reference(id));
      expect(chain).toEqual(previousFollowUpChain(db, id));
      longest = Math.max(longest, chain.length);
    }
    // Chains of several letters, with branches, are in the sample.
    expect(longest).toBeGreaterThanOrEqual(3);
  });
});
