/**
 * The migration journal as drizzle's migrator reads it: it applies a migration only when its
 * `when` is later than the last applied one's. Two branches that each add a migration are
 * renumbered at merge; if the later-numbered one keeps an earlier `when`, every database that
 * already has the other is silently never migrated (a merged roster migration was skipped so).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const folder = path.resolve("migrations");
const journal = JSON.parse(fs.readFileSync(path.join(folder, "meta/_journal.json"), "utf8")) as {
  entries: Array<{ idx: number; when: number; tag: string }>;
};

describe("the migration journal", () => {
  it("numbers its entries in order, each with its SQL file and a snapshot chained to the one before", () => {
    journal.entries.forEach((entry, index) => {
      expect(entry.idx).toBe(index);
      expect(entry.tag.startsWith(String(index).padStart(4, "0") + "_"), entry.tag).toBe(true);
      expect(fs.existsSync(path.join(folder, `${entry.tag}.sql`)), entry.tag).toBe(true);
    });
    const snapshots = journal.entries.map((entry) => JSON.parse(fs.readFileSync(path.join(folder, `meta/${entry.tag.slice(0, 4)}_snapshot.json`), "utf8")) as { id: string; prevId: string });
    snapshots.slice(1).forEach((snapshot, index) => expect(snapshot.prevId, journal.entries[index + 1]!.tag).toBe(snapshots[index]!.id));
    expect(fs.readdirSync(folder).filter((name) => name.endsWith(".sql"))).toHaveLength(journal.entries.length);
  });

  it("gives every migration a later time than the one before, or the migrator skips it", () => {
    journal.entries.slice(1).forEach((entry, index) => {
      expect(entry.when, `${entry.tag} must be later than ${journal.entries[index]!.tag}`).toBeGreaterThan(journal.entries[index]!.when);
    });
  });
});
