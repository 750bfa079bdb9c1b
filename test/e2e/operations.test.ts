/**
 * Operations against the real production server: /healthz turns 503 when migrations are not the
 * code's, and SIGTERM ends the process cleanly (exit 0, database closed: no WAL left behind).
 */
import fs from "node:fs";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { startServer } from "../support/server";

describe("operations", () => {
  it("/healthz reports 503 when the database carries a migration this code does not know", async () => {
    const server = await startServer();
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const sqlite = new Database(server.databasePath);
      sqlite.prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('from-the-future', 9999999999999)").run();
      sqlite.close();
      const response = await fetch(`${server.url}/healthz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ ok: false, database: "ok", migrations: { unknown: 1, current: false } });
    } finally {
      await server.stop();
    }
  });

  it("SIGTERM finishes, closes the database and exits 0", async () => {
    const server = await startServer();
    // Pages open the app's connection (WAL file present while it is open).
    expect((await fetch(`${server.url}/letters`)).status).toBe(200);
    expect(fs.existsSync(`${server.databasePath}-wal`)).toBe(true);
    process.kill(server.pid, "SIGTERM");
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/SIGTERM received: finishing open requests\n(.*\n)*All requests finished; database closed/);
    // The last connection's clean close checkpoints and removes the WAL.
    expect(fs.existsSync(`${server.databasePath}-wal`)).toBe(false);
    const sqlite = new Database(server.databasePath, { readonly: true });
    expect(sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
    sqlite.close();
  });
});
