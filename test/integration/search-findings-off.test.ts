/**
 * FIGURE_CACHE=off recomputes what the cache keeps on every request (README), search results
 * included: the event loop keeps no search findings then either (attack12).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.FIGURE_CACHE = "off";
});

import { today } from "~/domain/dates";
import { runReadTask } from "~/models/read-tasks.server";
import { clearSearchFindings, searchInPool } from "~/models/search-findings.server";
import { search, type SearchFindings } from "~/models/search.server";
import { installReadPool, type ReadPool } from "~/utils/read-pool.server";
import { createLetter } from "../factories";
import { freshDatabase } from "../support/database";
import { stubReadPool } from "../support/read-pools";

beforeAll(() => {
  const db = freshDatabase();
  createLetter(db, { title: "Okapi procurement letter", sent_on: "2026-01-05" });
});

afterEach(() => {
  installReadPool(null);
  clearSearchFindings();
});

const args = () => ({ q: "Okapi", asOf: today(), kind: "letter" as const, page: 1 });

describe("with FIGURE_CACHE=off", () => {
  it("a search hands back no findings, and the next request for it is found anew", async () => {
    expect(search(args()).findings).toBeNull();
    const sent: Array<SearchFindings | null | undefined> = [];
    installReadPool(stubReadPool(async (name, taskArgs) => {
      sent.push((taskArgs as { findings?: SearchFindings | null }).findings);
      return runReadTask(name, taskArgs) as never;
    }, { threads: 2 }));
    await searchInPool(args(), {});
    await searchInPool(args(), {});
    expect(sent).toEqual([null, null]);
  });
});
