/**
 * The production server on a database that has letters but no state history yet (one migrated
 * from before decision 13): it serves at once, past-date pages computed from the facts meanwhile,
 * and backfills the history on its writer thread, which ends with every letter's history written
 * as the writer writes it and marked complete.
 */
import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { startServer } from "../support/server";

const history = (path: string) => {
  const sqlite = new Database(path, { readonly: true });
  try {
    return {
      letters: sqlite.prepare("SELECT * FROM letter_state_history ORDER BY letter_id, valid_from").all(),
      questions: sqlite.prepare("SELECT * FROM question_state_history ORDER BY question_id, valid_from").all(),
      progress: sqlite.prepare("SELECT complete FROM state_history_progress").get() as { complete: number },
    };
  } finally {
    sqlite.close();
  }
};

it("backfills an existing database's state history after start, serving meanwhile", async () => {
  // A server on a new database: the demo letters, their history written with them.
  const first = await startServer();
  const databasePath = first.databasePath;
  try {
    expect((await fetch(`${first.url}/letters?asOf=2025-03-01&sort=status`)).status).toBe(200);
  } finally {
    await first.stop();
  }
  const written = history(databasePath);
  expect(written.letters.length).toBeGreaterThan(10);
  expect(written.progress.complete).toBe(1);

  // As if migrated from before the history existed.
  const sqlite = new Database(databasePath);
  sqlite.exec("DELETE FROM letter_state_history; DELETE FROM question_state_history; UPDATE state_history_progress SET complete = 0, backfilled_through = 0");
  sqlite.close();

  const second = await startServer({ DATABASE_PATH: databasePath });
  try {
    expect(second.output()).toContain("Writing the state history of every letter");
    expect((await fetch(`${second.url}/letters?asOf=2025-03-01&sort=status`)).status).toBe(200);
    await expect.poll(() => second.output(), { timeout: 120_000 }).toContain("The state history of every letter is written");
    expect((await fetch(`${second.url}/agencies?asOf=2025-03-01`)).status).toBe(200);
  } finally {
    await second.stop();
  }
  expect(history(databasePath)).toEqual(written);
}, 300_000);
