/**
 * Secrets the app makes for itself (app_secrets): made once by whichever process asks first, the
 * same for every other connection and after a restart, one per name.
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { env } from "~/env.server";
import { appSecret } from "~/models/app-secrets.server";
import { closeDb, openDatabase } from "../../db/client.server";
import { freshDatabase } from "../support/database";

beforeEach(() => {
  freshDatabase();
});
afterAll(() => closeDb());

describe("appSecret", () => {
  it("makes a secret once and every connection reads the same one", () => {
    const first = appSecret("cache-generation");
    expect(first).toMatch(/^[\w-]{43}$/);
    const otherProcess = openDatabase(env.DATABASE_PATH);
    try {
      expect(appSecret("cache-generation", otherProcess)).toBe(first);
    } finally {
      otherProcess.$client.close();
    }
  });

  it("reads a secret already made without the write lock (a process starting while another writes)", () => {
    const made = appSecret("cache-generation");
    const writer = openDatabase(env.DATABASE_PATH);
    const starting = openDatabase(env.DATABASE_PATH);
    try {
      writer.$client.exec("BEGIN IMMEDIATE");
      starting.$client.pragma("busy_timeout = 20");
      // Before: an INSERT ... ON CONFLICT DO NOTHING first, which waited for the lock and failed.
      expect(appSecret("cache-generation", starting)).toBe(made);
    } finally {
      writer.$client.exec("ROLLBACK");
      writer.$client.close();
      starting.$client.close();
    }
  });

  it("keeps one secret per name", () => {
    expect(appSecret("cache-generation")).not.toBe(appSecret("mail-token"));
  });

  it("is made anew for a new database (nothing is built in)", () => {
    const before = appSecret("cache-generation");
    freshDatabase();
    expect(appSecret("cache-generation")).not.toBe(before);
  });
});
