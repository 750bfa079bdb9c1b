/**
 * A writer process for the durability test: commits transactions through the app's own connection
 * settings (db/client.server.ts) and the app's write path (immediate transaction, audit record,
 * derived-state refresh), and reports each commit on stdout only after it returns. The test kills
 * it with SIGKILL at random moments.
 *
 * Each transaction writes, through the one letter writer, one letter with k questions (k in its
 * summary) and one response, with their two history entries: all of it or none of it must survive.
 */
import fs from "node:fs";
import { openDatabase } from "../../db/client.server";
import { SYSTEM_ACTOR } from "~/models/audit.server";
import { writeLetter, writeResponse } from "~/models/letter-writer.server";


const [databasePath, tag = "w"] = process.argv.slice(2);
if (!databasePath) throw new Error("usage: durability-writer.ts DATABASE_PATH [TAG]");

const db = openDatabase(databasePath);
fs.writeSync(1, "ready\n");
for (let n = 1; ; n++) {
  const slug = `durable-${tag}-${process.pid}-${n}`;
  const k = 1 + (n % 25);
  db.transaction(
    (tx) => {
      const { id } = writeLetter({
        tx,
        actor: SYSTEM_ACTOR,
        input: {
          slug, title: `Durability ${slug}`, sentOn: "2025-01-01", chamber: "House", committee: null, deadline: null,
          summary: String(k), notes: null, sourceUrl: null, followsUp: null, tags: [],
          senders: [{ member: { name: "Jamie Raskin", party: "D", state: "MD", chamber: "House" }, role: null, isLead: true }],
          recipients: [{ official: { name: "Marco Rubio", title: "Secretary of State", agency: "U.S. Department of State" } }],
          questions: Array.from({ length: k }, (_, i) => ({ text: `Question ${i + 1} of ${slug}`, kind: "question" as const })),
        },
      });
      writeResponse({ tx, letterId: id, actor: SYSTEM_ACTOR, input: { receivedOn: "2025-02-01", from: "Agency", completeness: "partial", summary: null, sourceUrl: null, notes: null } });
    },
    { behavior: "immediate" },
  );
  // Written synchronously after commit returns: a reported write is an acknowledged write.
  fs.writeSync(1, `committed ${slug} ${k}\n`);
}
