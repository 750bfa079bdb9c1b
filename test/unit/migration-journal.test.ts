/**
 * The migrator applies a migration only when its journal time (`when`) is later than the last one
 * the database applied. A migration renumbered at a merge that keeps an earlier time would be
 * skipped on every database that already had the one before it: times must rise with the index.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("migrations/meta/_journal.json", () => {
  it("lists every migration file once, in order, with times that rise with the index", () => {
    const journal = JSON.parse(fs.readFileSync(path.resolve("migrations/meta/_journal.json"), "utf8")) as {
      entries: Array<{ idx: number; when: number; tag: string }>;
    };
    const files = fs.readdirSync(path.resolve("migrations")).filter((file) => file.endsWith(".sql")).sort();
    expect(journal.entries.map((entry) => `${entry.tag}.sql`)).toEqual(files);
    journal.entries.forEach((entry, i) => {
      expect(entry.idx, entry.tag).toBe(i);
      if (i > 0) expect(entry.when, `${entry.tag} must be later than ${journal.entries[i - 1]!.tag}`).toBeGreaterThan(journal.entries[i - 1]!.when);
    });
  });
});
