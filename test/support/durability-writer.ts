/**
 * A writer process for the durability test: commits transactions through the app's own connection
 * settings (db/client.server.ts) and the app's write path (immediate transaction, audit record,
 * derived-state refresh), and reports each commit on stdout only after it returns. The test kills
 * it with SIGKILL at random moments.
 *
 * Each transaction writes one letter with k questions (k in its summary), one response and one
 * audit event: all of it or none of it must survive.
 */
import fs from "node:fs";
import { letters, questions, responses } from "../../db/schema";
import { openDatabase } from "../../db/client.server";
import { writeAudit, type Actor } from "~/models/audit.server";
import { refreshLetterState } from "~/models/letter-state.server";

const SYSTEM_ACTOR: Actor = { id: null, email: null, name: "system" };

const [databasePath, tag = "w"] = process.argv.slice(2);
if (!databasePath) throw new Error("usage: durability-writer.ts DATABASE_PATH [TAG]");

const db = openDatabase(databasePath);
fs.writeSync(1, "ready\n");
for (let n = 1; ; n++) {
  const slug = `durable-${tag}-${process.pid}-${n}`;
  const k = 1 + (n % 25);
  db.transaction(
    (tx) => {
      const letterId = tx
        .insert(letters)
        .values({ slug, title: `Durability ${slug}`, sentOn: "2025-01-01", chamber: "House", summary: String(k) })
        .returning({ id: letters.id })
        .get().id;
      tx.insert(questions)
        .values(Array.from({ length: k }, (_, i) => ({ letterId, number: i + 1, text: `Question ${i + 1} of ${slug}` })))
        .run();
      tx.insert(responses).values({ letterId, receivedOn: "2025-02-01", from: "Agency", completeness: "partial" }).run();
      writeAudit({ tx, actor: SYSTEM_ACTOR, action: "create", entity: "letter", entityId: letterId, letterId, summary: `Created ${slug}` });
      refreshLetterState({ tx, letterIds: [letterId] });
    },
    { behavior: "immediate" },
  );
  // Written synchronously after commit returns: a reported write is an acknowledged write.
  fs.writeSync(1, `committed ${slug} ${k}\n`);
}
