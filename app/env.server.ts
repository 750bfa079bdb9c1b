/**
 * The environment, read and checked once. Import `env` instead of reading process.env.
 */
import path from "node:path";
import { z } from "zod";

const booleanFlag = z
  .enum(["1", "0", "true", "false", "on", "off", "yes", "no"])
  .transform((value) => ["1", "true", "on", "yes"].includes(value));

/** How many app processes serve requests (`--workers N` or WEB_WORKERS; scripts/cluster.ts). */
export const workerCountSchema = z.coerce
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(1, "must be between 1 and 256")
  .max(256, "must be between 1 and 256");

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_PATH: z.string().trim().min(1, "must not be empty").default("./data/tracker.db"),
  /**
   * Where documents (letters' and responses' PDFs) are kept, by content: FILES_PATH/ab/cd/<sha256>.
   * Unset: a `files` directory beside the database (./data/files by default).
   */
  FILES_PATH: z.string().trim().min(1, "must not be empty").optional(),
  PORT: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 65535")
    .max(65535, "must be between 1 and 65535")
    .default(3000),
  /** Seed the demo letters into an empty database at start. */
  SEED_DEMO_DATA: booleanFlag.default(true),
  /** Anonymous visitors may read (not internal notes or authors' emails); off: every page needs a sign-in. */
  PUBLIC_READ: booleanFlag.default(true),
  /** Keep whole-tracker figures and list totals until the data changes (off: recompute every time). */
  FIGURE_CACHE: booleanFlag.default(true),
  /**
   * Keep each anonymous page's rendered response until the data or the day changes, and answer
   * If-None-Match from it (app/utils/page-cache.server.ts); off: render every request.
   */
  PAGE_CACHE: booleanFlag.default(true),
  /** Worker threads per app process for expensive reads (app/utils/read-pool.server.ts); 0: read on the event loop. */
  READ_POOL_THREADS: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(0, "must be between 0 and 32")
    .max(32, "must be between 0 and 32")
    .default(2),
  /**
   * Threads per app process for heavy reads (past dates, briefings, import checks), apart from the
   * others so that they never wait behind them; 0 runs them on READ_POOL_THREADS' threads. Two: at
   * their low priority (nice 13) one thread got too little of two busy cores under the mixed load,
   * and past-date pages were refused at the lane's limit (10–35 a run; none with two, decision 0030).
   */
  READ_POOL_HEAVY_THREADS: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(0, "must be between 0 and 32")
    .max(32, "must be between 0 and 32")
    .default(2),
  /**
   * Threads per app process that render whole anonymous pages of lists and searches (light reads) off
   * the event loop (decision 0037), in production only; 0 renders every page on the event loop.
   */
  READ_POOL_RENDER_THREADS: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(0, "must be between 0 and 32")
    .max(32, "must be between 0 and 32")
    .default(2),
  /**
   * Threads per app process for work no visitor waits for (figures recomputed behind stale ones,
   * decision 0005), at the lowest priority; 0 runs it on READ_POOL_THREADS' threads.
   */
  READ_POOL_BACKGROUND_THREADS: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(0, "must be between 0 and 8")
    .max(8, "must be between 0 and 8")
    .default(1),
  /**
   * Heavy reads in flight (running or waiting) per process; more are answered 503 at once. A cap
   * on memory and on pile-ups: READ_POOL_HEAVY_MAX_WAIT_MS usually refuses first.
   */
  READ_POOL_HEAVY_QUEUE: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 1000")
    .max(1000, "must be between 1 and 1000")
    .default(32),
  /**
   * A heavy read whose estimated wait for a thread (the reads ahead of it beyond the threads, shared
   * among the threads, times the lane's recent service time) is longer than this many milliseconds
   * is answered 503 at once (decision 0033); 0: only READ_POOL_HEAVY_QUEUE bounds the lane.
   */
  READ_POOL_HEAVY_MAX_WAIT_MS: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(0, "must be between 0 and 600000")
    .max(600_000, "must be between 0 and 600000")
    .default(4000),
  /**
   * A page for the render lane (decision 0037) whose estimated wait for a render thread is longer
   * than this many milliseconds is answered 503 at once; 0: only the lane's count (64 a process)
   * bounds it. Longer than the heavy reads' bound: a page is a visitor's whole answer, and under
   * a spike two processes' render threads share the cores (4 s refused a fifth of the mixed load's
   * requests with two workers).
   */
  READ_POOL_RENDER_MAX_WAIT_MS: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(0, "must be between 0 and 600000")
    .max(600_000, "must be between 0 and 600000")
    .default(10_000),
  /**
   * Nice values (0–19) of the render lane's and the heavy lane's threads. Unset: chosen from how
   * many app processes share the cores (thread-priority.server.ts `poolNiceValues`).
   */
  READ_POOL_RENDER_NICE: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(0, "must be between 0 and 19")
    .max(19, "must be between 0 and 19")
    .optional(),
  READ_POOL_HEAVY_NICE: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(0, "must be between 0 and 19")
    .max(19, "must be between 0 and 19")
    .optional(),
  /** Expensive reads one client address may have in flight at once; more are answered 503. */
  READ_POOL_PER_CLIENT: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 1000")
    .max(1000, "must be between 1 and 1000")
    .default(4),
  /**
   * Requests one client address may have the app work on at once (any the page cache does not
   * answer: app/utils/request-admission.server.ts); more are answered 503 with Retry-After.
   */
  APP_REQUESTS_PER_CLIENT: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 10000")
    .max(10000, "must be between 1 and 10000")
    .default(16),
  /** Requests the app works on at once per process, from everyone; more are answered 503. */
  APP_REQUESTS_QUEUE: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 100000")
    .max(100000, "must be between 1 and 100000")
    .default(256),
  /** Expensive reads in flight (running or waiting) per process; more are answered 503. */
  READ_POOL_QUEUE: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 10000")
    .max(10000, "must be between 1 and 10000")
    .default(64),
  /**
   * How long a request that may write waits while an import is being written (the bulk-write gate,
   * app/utils/write-gate.server.ts) before it is answered 503 with Retry-After, in milliseconds.
   */
  WRITE_GATE_WAIT_MS: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(0, "must be between 0 and 600000")
    .max(600000, "must be between 0 and 600000")
    .default(60000),
  /**
   * Exports written at once per app process, each in a thread of its own; more are answered 503.
   * Three: a reader gets the CSV and the .xlsx at once (two per address) and one address never
   * holds them all (perClientShare); with two, a reader got one of them refused (attack 22).
   */
  EXPORT_WORKERS: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(0, "must be between 0 and 32")
    .max(32, "must be between 0 and 32")
    .default(3),
  /**
   * Days after sending by which a letter that sets no deadline is due (its implied deadline,
   * decision 0014); 0: such a letter has no deadline and is never overdue. Changing it between
   * starts recomputes the stored state at the next start (syncStateSettings).
   */
  DEFAULT_RESPONSE_DAYS: z.coerce
    .number({ error: "must be a number of days" })
    .int("must be a whole number of days")
    .min(0, "must be between 0 (no implied deadline) and 3650 days")
    .max(3650, "must be between 0 (no implied deadline) and 3650 days")
    .default(30),
  /**
   * How long reading one document's text (a PDF's text layer, a Word or text file), or the OCR of
   * one of its scanned pages, may take in its thread before the thread is stopped and the
   * document's reading fails with a message naming it (app/utils/document-extract.server.ts).
   */
  DOCUMENT_TIME_LIMIT_SECONDS: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 3600")
    .max(3600, "must be between 1 and 3600")
    .default(60),
  /**
   * The JavaScript heap a document-reading thread may use, in MB (worker_threads resourceLimits);
   * a document that needs more is refused by name and the thread replaced.
   */
  DOCUMENT_THREAD_MEMORY_MB: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(64, "must be between 64 and 16384")
    .max(16384, "must be between 64 and 16384")
    .default(1024),
  /** The account created on first start when there are no users. */
  ADMIN_EMAIL: z.email({ error: "must be an email address" }).default("admin@tracker.local"),
  /**
   * Which proxies' X-Forwarded-For to believe for the client's address (sign-in throttling counts
   * per address), with Express's `trust proxy` meaning: `off` (the socket's address), `loopback`
   * (a proxy on this machine), or N (the N nearest proxies).
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(off|loopback|[1-9]\d?)$/, { error: "must be off, loopback or the number of proxies in front of the server (1-99)" })
    .transform((value): false | "loopback" | number => (value === "off" ? false : value === "loopback" ? "loopback" : Number(value)))
    .default(false),
  /**
   * App processes sharing the port (scripts/cluster.ts); `--workers N` overrides it. Unset: one per
   * core (os.availableParallelism()), or one in development. 1: a single process, no primary.
   */
  WEB_WORKERS: workerCountSchema.optional(),
  /** Name the process that answered in an `X-Worker` header (its pid): for tests and debugging. */
  EXPOSE_WORKER_ID: booleanFlag.default(false),
  /**
   * The site's absolute address, for links that leave the request: feeds' ids, printed briefings,
   * email. Never taken from the Host header (any caller can set it). Unset: http://localhost:PORT.
   */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: "must be an absolute http(s) address, e.g. https://tracker.example.org" })
    // Links are made by appending paths: an address with a query or fragment would break them all.
    .refine((value) => !/[?#]/.test(value), { error: "must be the site's address alone, with no ?query or #fragment" })
    .transform((value) => value.replace(/\/+$/, ""))
    .optional(),
  /**
   * Where follow messages go (decision 0016): an smtp:// or smtps:// address with its user and
   * password (nodemailer). Unset: messages are written as .eml files to MAIL_OUTBOX_PATH.
   */
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// address, e.g. smtp://user:password@mail.example.org:587" })
    .optional(),
  /** The sender of follow messages: an address, optionally with a name ("Tracker <alerts@example.org>"). */
  MAIL_FROM: z
    .string()
    .trim()
    .regex(/^(?:[^<>@\n]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/, { error: 'must be an email address, or a name and an address: "Tracker <alerts@example.org>"' })
    .default("Oversight Letter Tracker <tracker@localhost>"),
  /** Where messages are written as .eml files when SMTP_URL is unset. Unset: `outbox` beside the database. */
  MAIL_OUTBOX_PATH: z.string().trim().min(1, "must not be empty").optional(),
  /** The key that signs follow links (HMAC); unset: one the app makes and keeps in the database. */
  MAIL_TOKEN_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** How often the mail sender looks for work, in milliseconds. */
  MAIL_POLL_MS: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(100, "must be between 100 and 3600000")
    .max(3_600_000, "must be between 100 and 3600000")
    .default(10_000),
  /** Send follow messages from this process (off: only write them; another process sends). */
  MAIL_SENDER: booleanFlag.default(true),
})
  // Real mail with localhost links reaches real people: a production server that sends through
  // SMTP must be told its public address.
  .refine((values) => !(values.NODE_ENV === "production" && values.SMTP_URL && !values.PUBLIC_URL), {
    path: ["PUBLIC_URL"],
    error: "must be set when SMTP_URL sends real mail in production (links in messages would point to localhost)",
  })
  .transform((values) => ({
  ...values,
  FILES_PATH: values.FILES_PATH ?? path.join(path.dirname(values.DATABASE_PATH), "files"),
  MAIL_OUTBOX_PATH: values.MAIL_OUTBOX_PATH ?? path.join(path.dirname(values.DATABASE_PATH), "outbox"),
  PUBLIC_URL: values.PUBLIC_URL ?? `http://localhost:${values.PORT}`,
}));

export type Env = z.output<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty variable (PORT=) means "not set", as in most shells' intent.
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `  ${issue.path.join(".")}: ${issue.message}`)
      .join("\n");
    throw new Error(`Invalid environment configuration:\n${problems}`);
  }
  return result.data;
}

function loadEnv(): Env {
  try {
    return parseEnv(process.env);
  } catch (error) {
    // Stop at start with the message alone: a stack trace would bury which variable is wrong.
    console.error((error as Error).message);
    process.exit(1);
  }
}

export const env = loadEnv();
