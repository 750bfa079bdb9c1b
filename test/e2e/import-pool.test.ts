/**
 * Imports and the paste parser against the real server (build/server.js): a big upload's check and
 * a long paste's parsing run in the read pool (its `completed` counter on /healthz moves by exactly
 * one task each), and /healthz answers while they are under way.
 *
 * Whether /healthz answers before the import does depends on how fast the worker checks the file,
 * so that order is not asserted: the integration test (test/integration/import-read-pool.test.ts)
 * holds a task in a gated worker to show the event loop turning whatever the machine's speed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_REPORTED_PROBLEMS, SHEET_REQUIRED } from "~/domain/letter-csv";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";

const editor = { email: "pool-editor@example.org", name: "Pool Editor", role: "editor" as const, password: "a long enough passphrase" };

/** The files: 2 MB of a million short rows, and 100 kB of `1. a` lines. */
const MILLION_ROWS = SHEET_REQUIRED.join(",") + "\n" + "x\n".repeat(1_000_000);
const PASTE = "1. a\n".repeat(20_000);

interface Health {
  ok: boolean;
  readPool: { completed: number; threads: number; inFlight: number } | null;
}

let server: RunningServer;
let cookie: string;

beforeAll(async () => {
  server = await startServer();
  await createUserWithCli(server.databasePath, editor);
  const login = await fetch(`${server.url}/login`, { method: "POST", body: new URLSearchParams({ email: editor.email, password: editor.password }), redirect: "manual" });
  expect(login.status).toBe(302);
  cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
});

afterAll(async () => {
  await server?.stop();
});

async function health(): Promise<{ status: number; body: Health }> {
  const response = await fetch(`${server.url}/healthz`);
  return { status: response.status, body: (await response.json()) as Health };
}

/** Sends `request` and, once it is on its way, asks /healthz; both answers, in full. */
async function withHealthzMeanwhile(request: () => Promise<Response>) {
  const answer = request().then(async (response) => ({ status: response.status, html: await response.text() }));
  const healthz = health();
  return { answer: await answer, healthz: await healthz };
}

describe("big work goes to the read pool", () => {
  it("a 2 MB CSV of a million short rows: a capped report, checked in the pool, /healthz answering meanwhile", async () => {
    const before = await health();
    expect(before.body.readPool?.threads).toBeGreaterThan(0);
    const body = new FormData();
    body.append("intent", "dry-run");
    body.append("file", new File([MILLION_ROWS], "million.csv", { type: "text/csv" }));
    const { answer, healthz } = await withHealthzMeanwhile(() =>
      fetch(`${server.url}/import`, { method: "POST", body, headers: { Cookie: cookie, Origin: server.url } }),
    );
    expect(answer.status).toBe(400);
    expect(answer.html).toContain("million.csv: 1,000,000 problems, nothing was imported");
    expect(answer.html.match(/data-testid="import-problem"/g)).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(answer.html).toContain(`and ${(1_000_000 - MAX_REPORTED_PROBLEMS).toLocaleString("en-US")} more problems`);
    expect(healthz).toMatchObject({ status: 200, body: { ok: true } });
    const after = await health();
    // One read task: the upload's form and the file's check, both in a worker thread.
    expect(after.body.readPool!.completed).toBe(before.body.readPool!.completed + 1);
  });

  it("100 kB of `1. a` lines pasted into the letter form: proposed by the pool, /healthz answering meanwhile", async () => {
    const before = await health();
    const form = new URLSearchParams({ intent: "parse", title: "Pasted", sentOn: "2025-03-01", pasteText: PASTE });
    const { answer, healthz } = await withHealthzMeanwhile(() =>
      fetch(`${server.url}/letters/new`, { method: "POST", body: form, headers: { Cookie: cookie, Origin: server.url } }),
    );
    expect(answer.status).toBe(200);
    expect(answer.html).toMatch(/Proposed \d+ questions? and requests?\. Check them below before saving\./);
    expect(healthz).toMatchObject({ status: 200, body: { ok: true } });
    const after = await health();
    expect(after.body.readPool!.completed).toBe(before.body.readPool!.completed + 1);
  });
});
