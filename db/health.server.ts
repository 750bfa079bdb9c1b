/**
 * What GET /healthz reports: the database answers and its migrations are the ones this code
 * expects. Uses its own read-only connection so a health check never takes a write lock.
 */
import Database from "better-sqlite3";
import { migrationStatus, type MigrationStatus } from "./migrate.server";

export interface Health {
  ok: boolean;
  database: "ok" | "unreachable";
  migrations: MigrationStatus | null;
  error?: string;
}

export function createHealthCheck(databasePath: string): { check: () => Health; close: () => void } {
  let connection: Database.Database | undefined;
  return {
    check() {
      try {
        connection ??= new Database(databasePath, { readonly: true, fileMustExist: true });
        connection.prepare("SELECT 1").get();
        const migrations = migrationStatus(connection);
        return { ok: migrations.current, database: "ok", migrations };
      } catch (error) {
        connection?.close();
        connection = undefined;
        return { ok: false, database: "unreachable", migrations: null, error: (error as Error).message };
      }
    },
    close() {
      connection?.close();
      connection = undefined;
    },
  };
}
