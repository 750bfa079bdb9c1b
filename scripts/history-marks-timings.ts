/**
 * `DATABASE_PATH=<a copy> npx tsx scripts/history-marks-timings.ts`: what decision 0031's history
 * marks cost on a copy of a large database (never the original: it is migrated and written).
 * - historyRevision per request: the highest mark (every call) and a day's revision (once per mark);
 * - a response saved (one transaction through the letter writer) with and without the triggers;
 * - an import's write of N letters (createLetterRecords, one transaction) with and without them.
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { getDb } from "../db/client.server";
import { runMigrations } from "../db/migrate.server";
import { SYSTEM_ACTOR } from "~/models/audit.server";
import { historyRevision } from "~/models/page-generations.server";
import { writeResponse } from "~/models/letter-writer.server";
import { createLetterRecords } from "~/models/letter-records.server";
import { letterRecordSchema } from "~/domain/letter-record";
import { today } from "~/domain/dates";

const { values } = parseArgs({ options: { writes: { type: "string", default: "200" }, letters: { type: "string", default: "3000" } } });
const db = getDb();
runMigrations(db);
const sqlite = db.$client;

const triggers = sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%history_marks%'").all() as Array<{ name: string; sql: string }>;
const dropTriggers = () => triggers.forEach(({ name }) => sqlite.exec(`DROP TRIGGER "${name}"`));
const restoreTriggers = () => triggers.forEach(({ sql: text }) => sqlite.exec(text));

// One mark per distinct sent date, as a database written for a while has.
sqlite.exec(`INSERT INTO history_marks (from_day, revision)
  SELECT sent_on, (SELECT MAX(revision) FROM history_marks) + ROW_NUMBER() OVER (ORDER BY sent_on) FROM (SELECT DISTINCT sent_on FROM letters) WHERE true
  ON CONFLICT(from_day) DO NOTHING`);
const marks = (sqlite.prepare("SELECT COUNT(*) AS n FROM history_marks").get() as { n: number }).n;
const days = (sqlite.prepare("SELECT DISTINCT sent_on AS day FROM letters ORDER BY sent_on").all() as Array<{ day: string }>).map((r) => r.day);
console.log(`letters ${(sqlite.prepare("SELECT COUNT(*) AS n FROM letters").get() as { n: number }).n}, marks ${marks}`);

function perCall(label: string, n: number, run: (i: number) => void): void {
  for (let i = 0; i < Math.min(n, 50); i++) run(i);
  const start = performance.now();
  for (let i = 0; i < n; i++) run(i);
  console.log(`${label}: ${(((performance.now() - start) / n) * 1000).toFixed(1)} µs per call`);
}
const bump = () => sqlite.exec("UPDATE data_revision SET letter_pages_revision = letter_pages_revision + 1 WHERE id = 1");
// Memo hit: the same few days while the top holds.
perCall("historyRevision, day remembered", 20_000, (i) => historyRevision(days[i % 20]!));
// Memo miss: a new top before every call (a write between every two reads), a day near the end and one in the middle.
for (const [label, day] of [["latest day", days[days.length - 1]!], ["middle day", days[Math.floor(days.length / 2)]!], ["earliest day", days[0]!]] as const) {
  let total = 0;
  const n = 2000;
  for (let i = 0; i < n; i++) {
    bump();
    const start = performance.now();
    historyRevision(day);
    total += performance.now() - start;
  }
  console.log(`historyRevision after a write, ${label}: ${((total / n) * 1000).toFixed(1)} µs per call`);
}

const letterIds = (sqlite.prepare("SELECT id FROM letters ORDER BY id DESC LIMIT 5000").all() as Array<{ id: number }>).map((r) => r.id);
let next = 0;
function saveResponses(n: number): number {
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const letterId = letterIds[next++ % letterIds.length]!;
    db.transaction(
      (tx) =>
        writeResponse({ tx, letterId, actor: SYSTEM_ACTOR, input: { from: "Agency", receivedOn: today(), completeness: "partial", summary: "Timed.", sourceUrl: null, notes: null } }),
      { behavior: "immediate" },
    );
  }
  return ((performance.now() - start) / n) * 1000;
}
const writes = Number(values.writes);
saveResponses(20);
for (let round = 0; round < 4; round++) {
  const withTriggers = saveResponses(writes);
  dropTriggers();
  const without = saveResponses(writes);
  restoreTriggers();
  console.log(`a response saved: ${withTriggers.toFixed(0)} µs with the history triggers, ${without.toFixed(0)} µs without`);
}

let sequence = 0;
function importLetters(n: number): number {
  const records = Array.from({ length: n }, () => {
    sequence += 1;
    return letterRecordSchema.parse({
      id: `timed-import-${sequence}`, title: `Timed import ${sequence}`, sent_on: `2024-0${1 + (sequence % 9)}-1${sequence % 10}`, chamber: "House",
      committee: "House Committee on Oversight and Accountability",
      senders: [{ name: "Jamie Raskin", party: "D", state: "MD", role: "Ranking Member" }],
      recipients: [{ name: "Marco Rubio", title: "Secretary of State", agency: "U.S. Department of State" }],
      deadline: null, topic_tags: ["timed"], questions: [{ n: 1, text: "First?", kind: "question" }, { n: 2, text: "Second?", kind: "document_request" }],
      follows_up: null, responses: [], source: null, notes: null,
    });
  });
  const start = performance.now();
  db.transaction((tx) => createLetterRecords({ tx, records, actor: SYSTEM_ACTOR, summary: () => "Timed import" }), { behavior: "immediate" });
  return performance.now() - start;
}
const importSize = Number(values.letters);
importLetters(200);
for (let round = 0; round < 4; round++) {
  // Alternating which goes first: the machine's other work moves each figure by tens of percent.
  let withTriggers = 0;
  let without = 0;
  if (round % 2 === 0) withTriggers = importLetters(importSize);
  dropTriggers();
  without = importLetters(importSize);
  restoreTriggers();
  if (round % 2 === 1) withTriggers = importLetters(importSize);
  console.log(`an import of ${importSize} letters: ${withTriggers.toFixed(0)} ms with the history triggers, ${without.toFixed(0)} ms without`);
}
