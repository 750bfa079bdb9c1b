/**
 * The state history's backfill at start (decision 13) runs on the writer thread
 * (build/write-worker.js), batch by batch: the event loop keeps turning while it runs (progress
 * arrives batch by batch, a timer fires in between: order, not time), a staffer's write made
 * meanwhile is kept, and at the end every letter's history is what the writer writes.
 */
import fs from "node:fs";
import { setImmediate as nextTurn } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { closeDb, getDb, type Db } from "../../db/client.server";
import { refreshLetterState, stateHistoryComplete } from "~/models/letter-state.server";
import { backfillStateHistoryInWorker } from "~/utils/write-worker.server";
import { addResponse, seedSyntheticLetters } from "../factories";
import { freshDatabase } from "../support/database";

let db: Db;

beforeAll(() => {
  if (!fs.existsSync("build/write-worker.js")) throw new Error("Run `npm run build` first: the backfill runs in build/write-worker.js.");
  db = freshDatabase();
  seedSyntheticLetters(db, { letters: 400, seed: 5 });
}, 600_000);

const everything = () => ({
  letters: getDb().all(sql`SELECT * FROM letter_state_history ORDER BY letter_id, valid_from`),
  questions: getDb().all(sql`SELECT * FROM question_state_history ORDER BY question_id, valid_from`),
});

it("writes every letter's history off the event loop, in batches, and marks it complete", async () => {
  const written = everything();
  expect(written.letters.length).toBeGreaterThan(400);
  // As a database migrated with letters in it.
  db.run(sql`DELETE FROM letter_state_history`);
  db.run(sql`DELETE FROM question_state_history`);
  db.run(sql`UPDATE state_history_progress SET complete = 0, backfilled_through = 0`);
  closeDb();
  db = getDb();
  expect(stateHistoryComplete(db)).toBe(false);

  const last = db.get<{ id: number; sent_on: string }>(sql`SELECT id, sent_on FROM letters ORDER BY id DESC LIMIT 1`)!;
  const progress: number[] = [];
  let turns = 0;
  let wrote = false;
  const backfill = backfillStateHistoryInWorker({
    batch: 25,
    pauseMs: 5,
    onProgress: (through) => {
      progress.push(through);
      // A staffer's write while the backfill runs, on this thread's connection.
      if (!wrote && progress.length === 2) {
        wrote = true;
        addResponse(db, last.id, { receivedOn: last.sent_on, completeness: "refusal" });
      }
    },
  });
  let done = false;
  void backfill.finally(() => (done = true));
  while (!done) {
    await nextTurn();
    turns += 1;
  }
  await backfill;
  expect(progress.length).toBeGreaterThanOrEqual(400 / 25);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
  expect(turns).toBeGreaterThan(progress.length);
  expect(wrote).toBe(true);
  closeDb();
  db = getDb();
  expect(stateHistoryComplete(db)).toBe(true);
  const backfilled = everything();
  db.transaction((tx) => refreshLetterState({ tx }), { behavior: "immediate" });
  expect(everything()).toEqual(backfilled);
  expect(backfilled.letters.length).toBeGreaterThanOrEqual(written.letters.length);
}, 600_000);
