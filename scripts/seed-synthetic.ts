/**
 * `npm run seed:synthetic -- --letters N [--seed S] [--db PATH]`: builds a database of N synthetic
 * letters (app/domain/synthetic.ts) with the real migrations. Same seed, same letters. The target
 * must be new or empty; the file is built beside it and moved into place only when complete.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { today } from "~/domain/dates";
import { syntheticEndDate } from "~/domain/synthetic";
import { env } from "~/env.server";
import { openDatabase } from "../db/client.server";
import { runMigrations } from "../db/migrate.server";
import { writeSyntheticData, type SyntheticCounts } from "../db/synthetic.server";

export function buildSyntheticDatabase({
  file,
  letters,
  seed,
  log = console.log,
}: {
  file: string;
  letters: number;
  seed: number;
  log?: (line: string) => void;
}): SyntheticCounts {
  if (fs.existsSync(file) && fs.statSync(file).size > 0) {
    throw new Error(`${file} already exists; remove it or pass another --db`);
  }
  const building = `${file}.building`;
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(building + suffix, { force: true });
  const started = performance.now();
  let logged = 0;
  const db = openDatabase(building);
  // A throwaway file being built: skip fsyncs; the finished file is checkpointed and closed.
  db.$client.pragma("synchronous = OFF");
  db.$client.pragma("cache_size = -262144");
  db.$client.pragma("temp_store = MEMORY");
  let counts: SyntheticCounts;
  try {
    runMigrations(db);
    counts = writeSyntheticData({
      db,
      options: { letters, seed, endDate: syntheticEndDate(today()) },
      onProgress: (written) => {
        if (written > logged && (written % 20_000 === 0 || written === letters)) {
          logged = written;
          log(`  ${written} letters (${((performance.now() - started) / 1000).toFixed(1)} s)`);
        }
      },
    });
  } finally {
    db.$client.close();
  }
  fs.renameSync(building, file);
  log(
    `Built ${file}: ${counts.letters} letters, ${counts.questions} questions, ${counts.responses} responses, ` +
      `${counts.assessments} assessments, ${counts.extensions} extensions in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return counts;
}

function main() {
  const { values } = parseArgs({
    options: {
      letters: { type: "string", default: "1000" },
      seed: { type: "string", default: "1" },
      db: { type: "string" },
    },
  });
  const letters = Number(values.letters);
  const seed = Number(values.seed);
  if (!Number.isInteger(letters) || letters < 1) throw new Error("--letters must be a whole number from 1");
  if (!Number.isInteger(seed)) throw new Error("--seed must be a whole number");
  buildSyntheticDatabase({ file: values.db ?? env.DATABASE_PATH, letters, seed });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main();
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
