/**
 * The bulk data package (issue 13, item 8; decision 0018): built on demand, off the event loop,
 * and kept until the data changes.
 *
 * - `writeDataPackage` is a read task (read-tasks.server.ts, heavy lane): in a read-pool thread, on
 *   that thread's read-only connection, in ONE read transaction (one consistent snapshot, as the
 *   exports have), it streams each table's rows to its CSV file, writes datapackage.json and the
 *   README (the data dictionary), then zips them (fflate's streaming Zip, chunk by chunk: memory
 *   stays flat at any size) into a fresh directory.
 * - `ensureDataPackage` (data-package-cache.server.ts, event loop) keeps it until the data changes.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sql, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { Zip, ZipDeflate } from "fflate";
import { getDb } from "../../db/client.server";
import { csvLine } from "~/domain/csv-cells";
import { today } from "~/domain/dates";
import { dataDictionary, dataPackageDescriptor, packageResources, PACKAGE_ZIP } from "~/domain/data-package";
import { factDateText } from "~/domain/approximate-date";
import { env } from "~/env.server";
import { letterStatusSql, openQuestionsSql, stateAsOf } from "./letter-state.server";
import { askedAgainBySql } from "./question-repeats.server";

export interface DataPackageManifest {
  /** The data revision the snapshot was read at. */
  revision: number;
  /** The directory name of this snapshot's package (packageKey). */
  key: string;
  asOf: string;
  createdAt: string;
  files: Array<{ name: string; bytes: number; rows: number | null }>;
}

const dialect = new SQLiteSyncDialect();
export const MANIFEST = "manifest.json";
const WRITE_CHUNK = 256 * 1024;

/**
 * What names one state of the data: its revision, and (since a database made afresh or restored
 * from a backup counts its revisions again) the database file's identity and the tables' id
 * sequences. Read on the caller's connection: inside the package's snapshot in the worker, before
 * looking for a built package on the event loop (a stat and a one-row read).
 */
export function packageKey(db = getDb()): { revision: number; key: string } {
  const row = db.get<{ revision: number | null; seqs: string | null }>(
    sql`SELECT (SELECT revision FROM data_revision WHERE id = 1) AS revision,
      (SELECT group_concat(name || ':' || seq, ',') FROM (SELECT name, seq FROM sqlite_sequence ORDER BY name)) AS seqs`,
  );
  const file = fs.statSync(path.resolve(env.DATABASE_PATH), { bigint: true });
  const identity = `${file.dev}:${file.ino}:${file.birthtimeNs}:${row?.seqs ?? ""}`;
  const revision = row?.revision ?? 0;
  return { revision, key: `r${revision}-${crypto.createHash("sha256").update(identity).digest("hex").slice(0, 16)}` };
}

/** Each resource's rows, in the order of its fields (data-package.ts), read as raw arrays. */
function resourceSql(name: string, asOf: string): SQL {
  switch (name) {
    case "letters":
      return sql`${stateAsOf(asOf)}
        SELECT l.slug, l.title, l.sent_on, l.chamber, c.slug, l.deadline, s.effective_deadline, ${letterStatusSql(asOf)},
          s.first_response_on, s.questions_total, ${openQuestionsSql(asOf)}, f.slug, l.closed_on, l.closed_reason, l.summary, l.notes, l.source_url,
          s.deadline_source
        FROM letters l JOIN letter_state s ON s.letter_id = l.id
        LEFT JOIN committees c ON c.id = l.committee_id LEFT JOIN letters f ON f.id = l.follows_up_id
        ORDER BY l.id`;
    case "questions":
      // The later ask: repeatLinksOf's first (askedAgainBySql, first sent first), from the repeats'
      // partial index; the writer allows one later ask of a question, the rank keeps one row anyway.
      return sql`SELECT l.slug, q.number, q.kind, q.text, q.status, q.status_on, rl.slug, r.number, again.slug, again.number
        FROM questions q JOIN letters l ON l.id = q.letter_id
        LEFT JOIN questions r ON r.id = q.repeats_question_id LEFT JOIN letters rl ON rl.id = r.letter_id
        LEFT JOIN (SELECT a.repeats_question_id AS question_id, al.slug AS slug, a.number AS number,
            ROW_NUMBER() OVER (PARTITION BY a.repeats_question_id ORDER BY al.sent_on, al.slug, a.number) AS rank
          FROM questions a JOIN letters al ON al.id = a.letter_id
          WHERE a.repeats_question_id IS NOT NULL AND ${askedAgainBySql(asOf)}) again
          ON again.question_id = q.id AND again.rank = 1
        ORDER BY q.letter_id, q.number`;
    case "responses":
      // received_on is a day, or a month for a reply the record dates only by month (decision 0007).
      return sql`SELECT r.id, l.slug, r.received_on, r.received_precision, r."from", r.completeness, r.summary, r.source_url, r.notes
        FROM responses r JOIN letters l ON l.id = r.letter_id ORDER BY r.id`;
    case "senders":
      return sql`SELECT l.slug, m.slug, ls.position, ls.role
        FROM letter_senders ls JOIN letters l ON l.id = ls.letter_id JOIN members m ON m.id = ls.member_id
        ORDER BY ls.letter_id, ls.position`;
    case "recipients":
      return sql`SELECT l.slug, ROW_NUMBER() OVER (PARTITION BY lr.letter_id ORDER BY lr.position), o.name, lr.title, a.slug
        FROM letter_recipients lr JOIN letters l ON l.id = lr.letter_id JOIN officials o ON o.id = lr.official_id
        JOIN agencies a ON a.id = lr.agency_id ORDER BY lr.letter_id, lr.position`;
    case "topics":
      return sql`SELECT l.slug, t.slug, t.name FROM letter_tags lt JOIN letters l ON l.id = lt.letter_id JOIN tags t ON t.id = lt.tag_id
        ORDER BY lt.letter_id, t.slug`;
    case "members":
      return sql`SELECT m.slug, m.name, m.party, m.state, m.chamber, m.bioguide_id FROM members m ORDER BY m.slug`;
    case "agencies":
      return sql`SELECT a.slug, a.name, a.acronym, p.slug FROM agencies a LEFT JOIN agencies p ON p.id = a.parent_id ORDER BY a.slug`;
    case "committees":
      return sql`SELECT c.slug, c.name, c.chamber, p.slug FROM committees c LEFT JOIN committees p ON p.id = c.parent_id ORDER BY c.slug`;
    default:
      throw new Error(`No rows for the package's resource "${name}"`);
  }
}

/** Rows as the CSV shows them (responses: a month-only date written YYYY-MM). */
function cellsOf(name: string, row: unknown[]): unknown[] {
  if (name !== "responses") return row;
  const [id, letter, receivedOn, precision, ...rest] = row as [number, string, string, "day" | "month", ...unknown[]];
  return [id, letter, precision === "month" ? factDateText(receivedOn, precision) : receivedOn, ...rest];
}

/** Writes `text` pieces to a file in large writes. */
function fileWriter(file: string) {
  const fd = fs.openSync(file, "w");
  let pending: string[] = [];
  let size = 0;
  let bytes = 0;
  const flush = () => {
    if (pending.length === 0) return;
    const buffer = Buffer.from(pending.join(""), "utf8");
    fs.writeSync(fd, buffer);
    bytes += buffer.length;
    pending = [];
    size = 0;
  };
  return {
    write(text: string) {
      pending.push(text);
      size += text.length;
      if (size >= WRITE_CHUNK) flush();
    },
    close(): number {
      flush();
      fs.closeSync(fd);
      return bytes;
    },
  };
}

/** Zips `names` from `dir` into `zipFile`, reading and compressing chunk by chunk. */
function zipFiles(dir: string, names: readonly string[], zipFile: string): number {
  const fd = fs.openSync(zipFile, "w");
  let written = 0;
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else {
      fs.writeSync(fd, chunk);
      written += chunk.length;
    }
  });
  const buffer = Buffer.alloc(WRITE_CHUNK);
  try {
    for (const name of names) {
      const entry = new ZipDeflate(name, { level: 6 });
      zip.add(entry);
      const input = fs.openSync(path.join(dir, name), "r");
      try {
        for (;;) {
          const read = fs.readSync(input, buffer, 0, buffer.length, null);
          if (read === 0) break;
          entry.push(buffer.subarray(0, read).slice());
        }
        entry.push(new Uint8Array(0), true);
      } finally {
        fs.closeSync(input);
      }
      if (failure) throw failure;
    }
    zip.end();
    if (failure) throw failure;
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

/**
 * The read task: the whole public dataset written into `dir` (created here) as the package's files
 * and its zip, from one snapshot of this thread's connection.
 */
export function writeDataPackage({ dir, siteUrl }: { dir: string; siteUrl: string | null }): DataPackageManifest {
  const db = getDb();
  fs.mkdirSync(dir, { recursive: true });
  const asOf = today();
  const createdAt = new Date().toISOString();
  const files: DataPackageManifest["files"] = [];
  // One read transaction: every file is the same snapshot, however long the writing takes.
  const { revision, key } = db.$client.transaction(() => {
    const stamp = packageKey(db);
    for (const resource of packageResources(env.DEFAULT_RESPONSE_DAYS)) {
      const file = `${resource.name}.csv`;
      const out = fileWriter(path.join(dir, file));
      out.write(csvLine(resource.fields.map((field) => field.name)));
      const query = dialect.sqlToQuery(resourceSql(resource.name, asOf));
      let rows = 0;
      for (const row of db.$client.prepare(query.sql).raw().iterate(...query.params) as IterableIterator<unknown[]>) {
        out.write(csvLine(cellsOf(resource.name, row) as Array<string | number | null>));
        rows += 1;
      }
      files.push({ name: file, bytes: out.close(), rows });
    }
    return stamp;
  })();
  const text = (name: string, content: string) => {
    fs.writeFileSync(path.join(dir, name), content);
    files.unshift({ name, bytes: Buffer.byteLength(content), rows: null });
  };
  text("README.md", dataDictionary({ asOf, days: env.DEFAULT_RESPONSE_DAYS }));
  text("datapackage.json", `${JSON.stringify(dataPackageDescriptor({ created: createdAt, asOf, siteUrl, days: env.DEFAULT_RESPONSE_DAYS }), null, 2)}\n`);
  const bytes = zipFiles(
    dir,
    files.map((file) => file.name),
    path.join(dir, PACKAGE_ZIP),
  );
  const manifest: DataPackageManifest = { revision, key, asOf, createdAt, files: [...files, { name: PACKAGE_ZIP, bytes, rows: null }] };
  // Written last: a directory with its manifest is complete.
  fs.writeFileSync(path.join(dir, MANIFEST), JSON.stringify(manifest));
  return manifest;
}

