import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client.server";
import { DEMO_SEED_FILE } from "../../db/seed.server";

function runImport(args: string[], databasePath: string) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/import.ts", ...args], {
    env: { ...process.env, DATABASE_PATH: databasePath, NODE_ENV: "production" },
    encoding: "utf8",
  });
  return { code: result.status, out: result.stdout + result.stderr };
}

function letterCount(databasePath: string): number {
  const db = openDatabase(databasePath);
  try {
    return (db.$client.prepare("SELECT COUNT(*) AS n FROM letters").get() as { n: number }).n;
  } finally {
    db.$client.close();
  }
}

describe("npm run import", () => {
  it("dry-runs, imports, then changes nothing on a second run; the audit names the command line", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-import-"));
    const databasePath = path.join(dir, "tracker.db");

    const dry = runImport([DEMO_SEED_FILE, "--dry-run"], databasePath);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain("letters.seed.json (dry run, nothing written): 21 letters would be created, 0 would be updated, 0 unchanged.");
    expect(letterCount(databasePath)).toBe(0);

    expect(runImport([DEMO_SEED_FILE], databasePath).out).toContain("21 letters were created");
    const again = runImport([DEMO_SEED_FILE], databasePath);
    expect(again.out).toContain("0 letters were created, 0 were updated, 21 unchanged.");
    const db = openDatabase(databasePath);
    const actors = db.$client.prepare("SELECT DISTINCT actor_name FROM audit_events").pluck().all();
    db.$client.close();
    expect(actors).toEqual(["import (command line)"]);
    // Three runs of the CLI, each compiling TypeScript at start: ~10 s apiece on a busy 2-core machine.
  }, 120_000);

  it("prints every problem and exits 1 for a bad file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-import-"));
    const file = path.join(dir, "bad.csv");
    fs.writeFileSync(file, "letter_id,letter_title\r\nx,y\r\n");
    const result = runImport([file], path.join(dir, "tracker.db"));
    expect(result.code).toBe(1);
    expect(result.out).toContain("nothing was imported");
    expect(result.out).toContain("row 1, senders: is missing from the header");
  });
});
