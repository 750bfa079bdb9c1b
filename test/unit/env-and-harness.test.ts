import { describe, expect, it } from "vitest";
import { parseEnv } from "~/env.server";
import { chromiumPath } from "../support/browser";

describe("parseEnv", () => {
  it("has working defaults", () => {
    expect(parseEnv({})).toEqual({
      NODE_ENV: "development",
      DATABASE_PATH: "./data/tracker.db",
      FILES_PATH: "data/files",
      PORT: 3000,
      SEED_DEMO_DATA: true,
      PUBLIC_READ: true,
      FIGURE_CACHE: true,
      PAGE_CACHE: true,
      READ_POOL_THREADS: 2,
      READ_POOL_HEAVY_THREADS: 2,
      READ_POOL_HEAVY_QUEUE: 32,
      READ_POOL_HEAVY_MAX_WAIT_MS: 4000,
      READ_POOL_RENDER_THREADS: 2,
      READ_POOL_RENDER_MAX_WAIT_MS: 10_000,
      READ_POOL_BACKGROUND_THREADS: 1,
      APP_REQUESTS_PER_CLIENT: 16,
      APP_REQUESTS_QUEUE: 256,
      READ_POOL_PER_CLIENT: 4,
      READ_POOL_QUEUE: 64,
      EXPORT_WORKERS: 3,
      WRITE_GATE_WAIT_MS: 60000,
      DEFAULT_RESPONSE_DAYS: 30,
      DOCUMENT_TIME_LIMIT_SECONDS: 60,
      DOCUMENT_THREAD_MEMORY_MB: 1024,
      ADMIN_EMAIL: "admin@tracker.local",
      TRUST_PROXY: false,
      EXPOSE_WORKER_ID: false,
      PUBLIC_URL: "http://localhost:3000",
      MAIL_FROM: "Oversight Letter Tracker <tracker@localhost>",
      MAIL_OUTBOX_PATH: "data/outbox",
      MAIL_POLL_MS: 10000,
      MAIL_SENDER: true,
    });
    // Unset: scripts/cluster.ts picks one process per core (one in development).
    expect(parseEnv({}).WEB_WORKERS).toBeUndefined();
  });

  it("DEFAULT_RESPONSE_DAYS: a whole number of days, 0 turns implied deadlines off, a bad value names the variable", () => {
    expect(parseEnv({ DEFAULT_RESPONSE_DAYS: "0" }).DEFAULT_RESPONSE_DAYS).toBe(0);
    expect(parseEnv({ DEFAULT_RESPONSE_DAYS: "45" }).DEFAULT_RESPONSE_DAYS).toBe(45);
    expect(() => parseEnv({ DEFAULT_RESPONSE_DAYS: "thirty" })).toThrow(/DEFAULT_RESPONSE_DAYS: must be a number of days/);
    expect(() => parseEnv({ DEFAULT_RESPONSE_DAYS: "2.5" })).toThrow(/DEFAULT_RESPONSE_DAYS: must be a whole number of days/);
    expect(() => parseEnv({ DEFAULT_RESPONSE_DAYS: "-1" })).toThrow(/DEFAULT_RESPONSE_DAYS: must be between 0 \(no implied deadline\) and 3650 days/);
  });

  it("mail settings: SMTP_URL is an smtp(s) address, MAIL_FROM an address, MAIL_TOKEN_SECRET long enough, each named", () => {
    expect(parseEnv({ SMTP_URL: "smtp://u:p@mail.example.org:587" }).SMTP_URL).toBe("smtp://u:p@mail.example.org:587");
    expect(() => parseEnv({ SMTP_URL: "http://mail.example.org" })).toThrow(/SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ address/);
    expect(parseEnv({ MAIL_FROM: "Tracker <alerts@example.org>" }).MAIL_FROM).toBe("Tracker <alerts@example.org>");
    expect(() => parseEnv({ MAIL_FROM: "not an address" })).toThrow(/MAIL_FROM: must be an email address/);
    expect(() => parseEnv({ MAIL_TOKEN_SECRET: "short" })).toThrow(/MAIL_TOKEN_SECRET: must be at least 32 characters/);
    expect(parseEnv({ DATABASE_PATH: "/srv/t.db" }).MAIL_OUTBOX_PATH).toBe("/srv/outbox");
  });

  it("FILES_PATH defaults to a files directory beside the database, or takes its own value", () => {
    expect(parseEnv({ DATABASE_PATH: "/srv/tracker/t.db" }).FILES_PATH).toBe("/srv/tracker/files");
    expect(parseEnv({ DATABASE_PATH: "/srv/t.db", FILES_PATH: "/mnt/documents" }).FILES_PATH).toBe("/mnt/documents");
    expect(() => parseEnv({ FILES_PATH: "   " })).toThrow(/FILES_PATH: must not be empty/);
  });

  it("PUBLIC_URL is an absolute http(s) address without a trailing slash, defaulting to localhost and PORT", () => {
    expect(parseEnv({ PORT: "8080" }).PUBLIC_URL).toBe("http://localhost:8080");
    expect(parseEnv({ PUBLIC_URL: "https://tracker.example.org/" }).PUBLIC_URL).toBe("https://tracker.example.org");
    expect(() => parseEnv({ PUBLIC_URL: "tracker.example.org" })).toThrow(/PUBLIC_URL: must be an absolute http\(s\) address/);
    expect(() => parseEnv({ PUBLIC_URL: "javascript:alert(1)" })).toThrow(/PUBLIC_URL/);
  });

  it("DOCUMENT_TIME_LIMIT_SECONDS and DOCUMENT_THREAD_MEMORY_MB are bounded whole numbers, named when wrong", () => {
    expect(parseEnv({ DOCUMENT_TIME_LIMIT_SECONDS: "5", DOCUMENT_THREAD_MEMORY_MB: "256" })).toMatchObject({ DOCUMENT_TIME_LIMIT_SECONDS: 5, DOCUMENT_THREAD_MEMORY_MB: 256 });
    expect(() => parseEnv({ DOCUMENT_TIME_LIMIT_SECONDS: "0" })).toThrow(/DOCUMENT_TIME_LIMIT_SECONDS: must be between 1 and 3600/);
    expect(() => parseEnv({ DOCUMENT_THREAD_MEMORY_MB: "lots" })).toThrow(/DOCUMENT_THREAD_MEMORY_MB: must be a number/);
  });

  it("READ_POOL_RENDER_NICE and READ_POOL_HEAVY_NICE: unset by default, nice values 0 to 19, named when wrong", () => {
    expect(parseEnv({}).READ_POOL_RENDER_NICE).toBeUndefined();
    expect(parseEnv({ READ_POOL_RENDER_NICE: "5", READ_POOL_HEAVY_NICE: "0" })).toMatchObject({ READ_POOL_RENDER_NICE: 5, READ_POOL_HEAVY_NICE: 0 });
    expect(() => parseEnv({ READ_POOL_RENDER_NICE: "20" })).toThrow(/READ_POOL_RENDER_NICE: must be between 0 and 19/);
    expect(() => parseEnv({ READ_POOL_HEAVY_NICE: "-1" })).toThrow(/READ_POOL_HEAVY_NICE: must be between 0 and 19/);
    expect(() => parseEnv({ READ_POOL_HEAVY_NICE: "low" })).toThrow(/READ_POOL_HEAVY_NICE: must be a number/);
  });

  it("WEB_WORKERS is a whole number of processes", () => {
    expect(parseEnv({ WEB_WORKERS: "4" }).WEB_WORKERS).toBe(4);
    expect(parseEnv({ WEB_WORKERS: "1" }).WEB_WORKERS).toBe(1);
  });

  it.each([
    ["off", false],
    ["loopback", "loopback"],
    ["1", 1],
    ["2", 2],
  ])("TRUST_PROXY=%s is %j (Express's trust proxy setting)", (value, expected) => {
    expect(parseEnv({ TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });

  it("reads values, treating an empty variable as unset", () => {
    expect(parseEnv({ PORT: "8080", DATABASE_PATH: "/srv/t.db", SEED_DEMO_DATA: "off", NODE_ENV: "" })).toMatchObject({
      PORT: 8080,
      DATABASE_PATH: "/srv/t.db",
      SEED_DEMO_DATA: false,
      NODE_ENV: "development",
    });
  });

  it.each([
    [{ PORT: "http" }, /PORT: must be a number/],
    [{ PORT: "70000" }, /PORT: must be between 1 and 65535/],
    [{ PORT: "30.5" }, /PORT: must be a whole number/],
    [{ NODE_ENV: "staging" }, /NODE_ENV: /],
    [{ SEED_DEMO_DATA: "maybe" }, /SEED_DEMO_DATA: /],
    [{ PUBLIC_READ: "sometimes" }, /PUBLIC_READ: /],
    [{ ADMIN_EMAIL: "root" }, /ADMIN_EMAIL: must be an email address/],
    [{ TRUST_PROXY: "yes please" }, /TRUST_PROXY: must be off, loopback or the number of proxies/],
    [{ TRUST_PROXY: "0.5" }, /TRUST_PROXY: must be off, loopback or the number of proxies/],
    [{ TRUST_PROXY: "0" }, /TRUST_PROXY: must be off, loopback or the number of proxies/],
    [{ WEB_WORKERS: "0" }, /WEB_WORKERS: must be between 1 and 256/],
    [{ WEB_WORKERS: "two" }, /WEB_WORKERS: must be a number/],
    [{ WEB_WORKERS: "1.5" }, /WEB_WORKERS: must be a whole number/],
    [{ EXPOSE_WORKER_ID: "perhaps" }, /EXPOSE_WORKER_ID: /],
  ])("names the bad variable: %j", (source, message) => {
    expect(() => parseEnv(source)).toThrowError(message);
  });
});

describe("test harness", () => {
  it("without Chromium, says the one command that installs it", () => {
    expect(() => chromiumPath(["/nowhere/chromium"])).toThrowError(/apt-get install -y chromium/);
  });
});
