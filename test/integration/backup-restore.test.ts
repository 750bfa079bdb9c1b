/**
 * Backup under concurrent writes, then restore: the backup is a consistent snapshot (whole
 * transactions, an exact prefix of the live database), and a restore reproduces it row for row
 * (counts and a checksum of every table). Damaged files and unknown migrations are refused
 * without touching the target.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "../../db/client.server";
import { backupDatabase, restoreDatabase } from "../../db/backup.server";
import { env } from "~/env.server";
import { seedSyntheticLetters } from "../factories";
import { bundleScript } from "../support/bundle";
import { freshDatabase, tableChecksums } from "../support/database";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-test-"));
let writerScript: string;

beforeAll(async () => {
  const db = freshDatabase();
  seedSyntheticLetters(db, { letters: 300, seed: 3 });
  closeDb();
  writerScript = await bundleScript("test/support/durability-writer.ts");
});

afterAll(() => fs.rmSync(writerScript, { force: true }));

function startWriter(): Promise<{ child: ChildProcess; commits: () => number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writerScript, env.DATABASE_PATH, "b"], { stdio: ["ignore", "pipe", "inherit"] });
    let commits = 0;
    let started = false;
    child.stdout!.on("data", (chunk: Buffer) => {
      commits += chunk.toString().split("committed ").length - 1;
      if (!started && commits >= 20) {
        started = true;
        resolve({ child, commits: () => commits });
      }
    });
    child.on("exit", () => !started && reject(new Error("writer stopped early")));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

const open = (file: string) => new Database(file, { readonly: true });

describe("backup and restore", () => {
  it("backs up while a writer commits, and restores the backup exactly", async () => {
    const writer = await startWriter();
    const inProcess = path.join(dir, "in-process.db");
    const viaScript = path.join(dir, "via-script.db");
    const before = writer.commits();
    backupDatabase({ source: env.DATABASE_PATH, destination: inProcess });
    // Run asynchronously, so the writer's reports keep arriving while the script backs up.
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ["--import", "tsx", "scripts/backup.ts", viaScript],
        { env: { ...process.env, DATABASE_PATH: env.DATABASE_PATH }, encoding: "utf8" },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      );
    });
    expect(output).toMatch(/Backed up .* to .*via-script\.db/);
    const during = writer.commits();
    await stop(writer.child);
    // The writer kept committing while the backups ran.
    expect(during).toBeGreaterThan(before);

    const live = open(env.DATABASE_PATH);
    for (const file of [inProcess, viaScript]) {
      const backup = open(file);
      expect(backup.pragma("integrity_check", { simple: true })).toBe("ok");
      // Whole transactions only: each writer letter has exactly its k questions.
      const partial = backup
        .prepare(
          `SELECT slug FROM letters l WHERE slug LIKE 'durable-%'
             AND (SELECT COUNT(*) FROM questions q WHERE q.letter_id = l.id) <> CAST(l.summary AS INTEGER)`,
        )
        .all();
      expect(partial).toEqual([]);
      const { maxLetter, maxAudit } = backup
        .prepare("SELECT (SELECT MAX(id) FROM letters) AS maxLetter, (SELECT COALESCE(MAX(id), 0) FROM audit_events) AS maxAudit")
        .get() as { maxLetter: number; maxAudit: number };
      expect(maxLetter).toBeGreaterThan(300);
      // An exact prefix of the live database: the same rows up to the backup's last letter.
      const upTo = {
        letters: `id <= ${maxLetter}`,
        questions: `letter_id <= ${maxLetter}`,
        responses: `letter_id <= ${maxLetter}`,
        audit_events: `id <= ${maxAudit}`,
        members: "1",
        agencies: "1",
      };
      const backupSums = tableChecksums(backup, upTo);
      const liveSums = tableChecksums(live, upTo);
      for (const table of Object.keys(upTo)) expect(backupSums[table], table).toEqual(liveSums[table]);
      backup.close();
    }
    live.close();

    // Restore over a different database through the script; the target then equals the backup.
    const target = path.join(dir, "restored", "tracker.db");
    fs.mkdirSync(path.dirname(target), { recursive: true });
    new Database(target).exec("CREATE TABLE other (x); INSERT INTO other VALUES (1);").close();
    const restoreOutput = execFileSync(process.execPath, ["--import", "tsx", "scripts/restore.ts", viaScript], {
      env: { ...process.env, DATABASE_PATH: target },
      encoding: "utf8",
    });
    expect(restoreOutput).toMatch(/previous database is kept at .*before-restore-/);
    const restored = open(target);
    const backup = open(viaScript);
    const restoredSums = tableChecksums(restored);
    expect(restoredSums).toEqual(tableChecksums(backup));
    expect(restoredSums.letters!.rows).toBeGreaterThan(300);
    expect(restoredSums.questions!.rows).toBeGreaterThan(1000);
    expect(restoredSums.other).toBeUndefined();
    restored.close();
    backup.close();
    const kept = fs.readdirSync(path.dirname(target)).filter((name) => name.includes("before-restore-"));
    expect(kept).toHaveLength(1);
    const previous = open(path.join(path.dirname(target), kept[0]!));
    expect(previous.prepare("SELECT x FROM other").get()).toEqual({ x: 1 });
    previous.close();
  }, 60_000);

  it("refuses a damaged file and changes nothing", () => {
    const target = path.join(dir, "target-damaged.db");
    backupDatabase({ source: env.DATABASE_PATH, destination: target });
    const targetBefore = tableChecksums(open(target));

    const damaged = path.join(dir, "damaged.db");
    fs.copyFileSync(target, damaged);
    const handle = fs.openSync(damaged, "r+");
    // Overwrite pages in the middle of the file (keeping the header) with garbage.
    fs.writeSync(handle, Buffer.alloc(64 * 1024, 0xab), 0, 64 * 1024, 8 * 4096);
    fs.closeSync(handle);
    expect(() => restoreDatabase({ file: damaged, target })).toThrow(/damaged|malformed|not a database/);
    expect(() => restoreDatabase({ file: path.join(dir, "missing.db"), target })).toThrow(/no file/);
    expect(tableChecksums(open(target))).toEqual(targetBefore);
  });

  it("refuses a database with a migration this version does not know", () => {
    const target = path.join(dir, "target-newer.db");
    backupDatabase({ source: env.DATABASE_PATH, destination: target });
    const newer = path.join(dir, "newer.db");
    fs.copyFileSync(target, newer);
    const sqlite = new Database(newer);
    sqlite.prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('f00d', 9999999999999)").run();
    sqlite.close();
    const before = tableChecksums(open(target));
    expect(() => restoreDatabase({ file: newer, target })).toThrow(/1 migration\(s\) this version does not know/);
    expect(tableChecksums(open(target))).toEqual(before);
  });

  it("refuses a database that lacks a migration older than its latest (the migrator would never apply it)", () => {
    const target = path.join(dir, "target-skipped.db");
    backupDatabase({ source: env.DATABASE_PATH, destination: target });
    const skipped = path.join(dir, "skipped.db");
    fs.copyFileSync(target, skipped);
    const sqlite = new Database(skipped);
    // The record of a middle migration gone: as a database migrated from another branch's journal.
    sqlite.prepare("DELETE FROM __drizzle_migrations WHERE rowid = (SELECT rowid FROM __drizzle_migrations ORDER BY created_at LIMIT 1 OFFSET 5)").run();
    sqlite.close();
    const before = tableChecksums(open(target));
    expect(() => restoreDatabase({ file: skipped, target })).toThrow(/lacks 1 migration\(s\) older than its latest/);
    expect(tableChecksums(open(target))).toEqual(before);
  });

  it("refuses while the target is open in another process", async () => {
    const target = env.DATABASE_PATH;
    const backupFile = path.join(dir, "for-busy.db");
    backupDatabase({ source: target, destination: backupFile });
    const writer = await startWriter();
    try {
      expect(() => restoreDatabase({ file: backupFile, target })).toThrow(/in use/);
    } finally {
      await stop(writer.child);
    }
  });
});
