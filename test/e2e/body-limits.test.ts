/**
 * Body size limits against the real server (build/server.js): an oversized body gets 413 as soon as
 * it is over the limit, declared (Content-Length) or streamed (chunked), without the server holding
 * it in memory; ordinary sign-ins and imports still go through.
 */
import fs from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_LIMITS } from "~/domain/body-limits";
import { buildLetterRecord } from "../factories";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";

const editor = { email: "limits-editor@example.org", name: "Limits Editor", role: "editor" as const, password: "a long enough passphrase" };
const MB = 1024 * 1024;

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
  await createUserWithCli(server.databasePath, editor);
});

afterAll(async () => {
  await server?.stop();
});

/** The server's resident memory in bytes, from /proc. */
function residentBytes(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((entry) => entry.startsWith("VmRSS:"));
  return Number(/(\d+)/.exec(line ?? "")?.[1] ?? NaN) * 1024;
}

/**
 * Posts `size` bytes of a form (a long field of "a"s) to `path`, with a Content-Length or chunked,
 * and stops sending once the answer comes (a server may close the connection after answering).
 */
function postLargeForm(path: string, size: number, { chunked }: { chunked: boolean }): Promise<{ status: number; body: string }> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        ...(chunked ? {} : { "Content-Length": String(size) }),
      },
    });
    request.on("response", (response) => {
      answered = true;
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      response.on("error", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(64 * 1024, "a");
    const head = Buffer.from("email=someone%40example.org&password=x&padding=");
    let sent = 0;
    const write = () => {
      while (!answered && !request.destroyed && sent < size) {
        const piece = sent === 0 ? head : chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += piece.length;
        if (!request.write(piece)) {
          request.once("drain", write);
          return;
        }
      }
      if (!answered && !request.destroyed) request.end();
    };
    write();
  });
}

async function signIn(password: string): Promise<Response> {
  return fetch(`${server.url}/login`, { method: "POST", body: new URLSearchParams({ email: editor.email, password }), redirect: "manual" });
}

/**
 * Growth of the server's resident memory that still tells streaming from buffering. A server that
 * buffers a 50 MB form grows by about three times that (the raw body, its string, the parsed form);
 * one that refuses it as it streams grows by a few MB, plus whatever the garbage collector has not
 * returned yet on a loaded machine (27 MB seen once under CI load). The 16 MB target of issue 11 is
 * measured by `npm run bench` on a quiet machine, not asserted here.
 */
const NOT_HOLDING_THE_BODY = 40 * MB;

describe("body size limits", () => {
  it("a 50 MB sign-in form with a Content-Length gets 413 without the server holding it", async () => {
    // Warm up the sign-in route, so that what follows measures the body alone.
    expect((await fetch(`${server.url}/login`)).status).toBe(200);
    expect((await signIn("not the password")).status).toBe(400);
    // ...and the refusal itself (its first run loads code and grows buffer pools once).
    await postLargeForm("/login", 4 * MB, { chunked: false });
    await postLargeForm("/login", 4 * MB, { chunked: true });
    const before = residentBytes(server.pid);
    const answer = await postLargeForm("/login", 50 * MB, { chunked: false });
    expect(answer.status).toBe(413);
    expect(answer.body).toMatch(/larger than/);
    expect(residentBytes(server.pid) - before).toBeLessThan(NOT_HOLDING_THE_BODY);
  });

  it("a 50 MB chunked sign-in form (no Content-Length) gets 413 once it is over the limit, without the server holding it", async () => {
    const before = residentBytes(server.pid);
    const answer = await postLargeForm("/login", 50 * MB, { chunked: true });
    expect(answer.status).toBe(413);
    expect(residentBytes(server.pid) - before).toBeLessThan(NOT_HOLDING_THE_BODY);
  });

  it("a form just under the limit is read as usual; the server is still up after the refusals", async () => {
    const answer = await postLargeForm("/login", BODY_LIMITS.form - 1024, { chunked: true });
    expect(answer.status).toBe(400);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("an ordinary sign-in and an ordinary import still work", async () => {
    const login = await signIn(editor.password);
    expect(login.status).toBe(302);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
    expect(cookie).toMatch(/^tracker_session=/);

    const body = new FormData();
    body.append("intent", "dry-run");
    const file = JSON.stringify({ letters: [buildLetterRecord({ id: "limits-letter-one" })] });
    body.append("file", new File([file], "letters.json", { type: "application/json" }));
    const upload = await fetch(`${server.url}/import`, { method: "POST", body, headers: { Cookie: cookie, Origin: server.url } });
    expect(upload.status).toBe(200);
    expect(await upload.text()).toContain("Dry run of letters.json");
  });
});
