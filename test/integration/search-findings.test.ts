/**
 * Search findings shared between read threads (app/models/search-findings.server.ts): each thread
 * kept what the index found for itself, so under load every search was found once per thread. The
 * event loop now keeps the findings a thread hands back and passes them with the next request for
 * the same search; a thread uses them only at the current search revision.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { today } from "~/domain/dates";
import { searchRevision } from "~/models/figure-cache.server";
import { runReadTask } from "~/models/read-tasks.server";
import { clearSearchFindings, searchInPool } from "~/models/search-findings.server";
import { search, searchFindingsKey, type SearchFindings } from "~/models/search.server";
import { installReadPool, type ReadPool } from "~/utils/read-pool.server";
import type { Db } from "../../db/client.server";
import { createLetter } from "../factories";
import { freshDatabase } from "../support/database";
import { stubReadPool } from "../support/read-pools";

let db: Db;

beforeAll(() => {
  db = freshDatabase();
  createLetter(db, { title: "Okapi procurement letter", sent_on: "2026-01-05", questions: [{ n: 1, text: "Who signed the Okapi contract?", kind: "question" }] });
});

afterEach(() => {
  installReadPool(null);
  clearSearchFindings();
});

const args = () => ({ q: "Okapi", asOf: today(), kind: "letter" as const, page: 1 });

/** Findings as a thread would hand them back, with one hit nobody could find (to see them used). */
function forged(revision: number): SearchFindings {
  const found = search(args()).findings ?? search({ ...args(), pageSize: 21 }).findings!;
  const key = searchFindingsKey(args())!;
  const [group] = found.found;
  return { key, revision, found: [{ ...group!, hits: [{ ...group!.hits[0]!, title: "FORGED FINDING" }] }] };
}

describe("search findings handed between threads", () => {
  it("are used at the current search revision: the index is not read again", () => {
    const findings = forged(searchRevision()!);
    const prepare = vi.spyOn(db.$client, "prepare");
    try {
      const result = search({ ...args(), pageSize: 20 }, { findings });
      expect(result.groups[0]!.hits[0]!.title).toBe("FORGED FINDING");
      expect(result.findings, "nothing new to hand back").toBeNull();
      expect(prepare.mock.calls.map(([text]) => String(text)).filter((text) => text.includes("MATCH"))).toEqual([]);
    } finally {
      prepare.mockRestore();
    }
  });

  it("are ignored at another revision, or for another search", () => {
    const stale = forged(searchRevision()! - 1);
    expect(search(args(), { findings: stale }).groups[0]!.hits[0]!.title).not.toBe("FORGED FINDING");
    const current = forged(searchRevision()!);
    expect(search({ ...args(), q: "Okapi contract" }, { findings: current }).groups[0]?.hits[0]?.title).not.toBe("FORGED FINDING");
  });

  it("are kept by the event loop and passed with the next request for the same search, until searchable text changes", async () => {
    const sent: Array<SearchFindings | null | undefined> = [];
    const pool: ReadPool = stubReadPool(async (name, taskArgs) => {
      sent.push((taskArgs as { findings?: SearchFindings | null }).findings);
      return runReadTask(name, taskArgs) as never;
    }, { threads: 2 });
    installReadPool(pool);
    const first = await searchInPool(args(), {});
    expect(sent[0]).toBeNull();
    expect(first).not.toHaveProperty("findings");
    const second = await searchInPool(args(), {});
    expect(sent[1]).toMatchObject({ key: searchFindingsKey(args()), revision: searchRevision() });
    expect(second).toEqual(first);
    // New searchable text: the kept findings are not passed any more, and the new letter is found.
    createLetter(db, { title: "Second Okapi letter", sent_on: "2026-01-06" });
    const third = await searchInPool(args(), {});
    expect(sent[2]).toBeNull();
    expect(third.groups[0]!.total).toBe(first.groups[0]!.total + 1);
  });

  it("a search asked by many readers at once is found by one thread; the others wait for its findings", async () => {
    const sent: Array<SearchFindings | null | undefined> = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const pool: ReadPool = stubReadPool(async (name, taskArgs) => {
      sent.push((taskArgs as { findings?: SearchFindings | null }).findings);
      await gate;
      return runReadTask(name, taskArgs) as never;
    }, { threads: 2 });
    installReadPool(pool);
    const many = Array.from({ length: 5 }, () => searchInPool(args(), {}));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sent, "only the first went to a thread meanwhile").toEqual([null]);
    release();
    const results = await Promise.all(many);
    expect(sent.filter((findings) => findings === null)).toHaveLength(1);
    expect(sent.slice(1).every((findings) => findings?.key === searchFindingsKey(args()))).toBe(true);
    for (const result of results) expect(result).toEqual(results[0]);
  });
});
