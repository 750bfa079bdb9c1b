/**
 * Runs before every test file: each file gets its own empty SQLite file, so files can run in
 * parallel and nothing leaks between them. Integration tests migrate it with `freshDatabase()`.
 */
import crypto from "node:crypto";
import os from "node:os";
import path from "node:path";

process.env.NODE_ENV = "test";
process.env.DATABASE_PATH = path.join(
  os.tmpdir(),
  "oversight-tracker-tests",
  `${crypto.randomUUID()}.db`,
);
