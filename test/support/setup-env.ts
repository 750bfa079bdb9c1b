/**
 * Runs before every test file: each file gets its own empty SQLite file, so files can run in
 * parallel and nothing leaks between them. Integration tests migrate it with `freshDatabase()`.
 */
import crypto from "node:crypto";
import os from "node:os";
import path from "node:path";

process.env.NODE_ENV = "test";
const run = crypto.randomUUID();
process.env.DATABASE_PATH = path.join(os.tmpdir(), "oversight-tracker-tests", `${run}.db`);
// Documents too: each file's own store, so one file's removals never touch another's.
process.env.FILES_PATH = path.join(os.tmpdir(), "oversight-tracker-tests", `${run}.files`);
