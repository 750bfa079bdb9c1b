/**
 * Attack 25, against the real production server (build/server.js): the edit route's answer to a
 * save of a letter deleted meanwhile (410, the recovered form), which now names the documents that
 * went with the letter from the form's `documentName.<hash>` fields. Each test is a finding: it
 * fails while the fault is there.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOne } from "../support/journeys";
import { createUserWithCli, startServer, type RunningServer } from "../support/server";

const password = "correct horse battery staple";
const eve = { email: "eve-25@example.org", name: "Eve Editor", role: "editor" as const, password };

let server: RunningServer;
let cookie = "";

beforeAll(async () => {
  server = await startServer();
  await createUserWithCli(server.databasePath, eve);
  const login = await fetch(`${server.url}/login`, { method: "POST", body: new URLSearchParams({ email: eve.email, password }), redirect: "manual" });
  cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

function post(path: string, body: string): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded", origin: server.url },
    body,
    redirect: "manual",
  });
}

/** An anonymous GET on a connection of its own (no idle socket reused): its status, or the error. */
function readOnFreshConnection(path: string): Promise<number | string> {
  return new Promise((resolve) => {
    const request = http.get(`${server.url}${path}`, { agent: false }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("error", (error) => resolve(error.message));
  });
}

describe("a letter form save with a field repeated thousands of times (8 MB allowed under /letters/)", () => {
  it("is refused whole, with a message and a small answer, and the server still serves readers", async () => {
    const letter = queryOne<{ slug: string; version: number }>(server.databasePath, "SELECT slug, version FROM letters ORDER BY id LIMIT 1")!;
    // An editor's save of a letter whose `documents` field repeats one hash 10,000 times (740 kB).
    // The form takes at most 20 documents; the save is refused, but only after parsing and
    // answering it took time that grows with the square of the fields' count, on the event loop.
    // The edit route's 410 (the letter deleted meanwhile) reads documentName.<hash> for each one
    // too (formData.get per hash: another pass over every field per document).
    const hash = "a".repeat(64);
    const body = [`title=Edited`, `version=${letter.version}`, ...Array.from({ length: 10_000 }, () => `documents=${hash}`)].join("&");
    const started = Date.now();
    const save = post(`/letters/${letter.slug}/edit`, body).then(async (response) => {
      const text = await response.text();
      return { status: response.status, text, bytes: text.length, ms: Date.now() - started };
    });

    // Meanwhile an anonymous reader asks for the letters list (nothing else is running).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const readerStarted = Date.now();
    const readerStatus = await readOnFreshConnection("/letters");
    const readerMs = Date.now() - readerStarted;
    const saved = await save;

    expect(readerStatus).toBe(200);
    // Seen (20,000 fields, 1.5 MB): a 500 of 8.7 MB after 127 s, every reader waiting; a deleted
    // letter's 410 path with 30,000 fields: 28 s, the reader of /letters waiting 27 s; 10,000 fields:
    // a 400 of 4.4 MB after 6.4 s (the reader waited 5.5 s). Now a form of more fields than any
    // of the tracker's (MAX_FORM_ENTRIES) is refused whole, with a message and without its fields. (How long the
    // reader waits depends on the machine; what the server does with the fields does not.)
    expect(saved.status, `${saved.bytes} bytes after ${saved.ms} ms; the reader waited ${readerMs} ms`).toBe(400);
    expect(saved.text).toContain("The form has more than 10,000 fields, more than any form of the tracker: nothing was saved.");
    expect(saved.bytes, `the answer is ${saved.bytes} bytes (the reader waited ${readerMs} ms)`).toBeLessThan(1_000_000);
  }, 300_000);

  it("to a letter deleted meanwhile: the recovered form holds each document once, at most 20, and the answer is small", async () => {
    const letter = queryOne<{ slug: string; version: number }>(server.databasePath, "SELECT slug, version FROM letters ORDER BY id LIMIT 1 OFFSET 1")!;
    const deleted = await post(`/letters/${letter.slug}/edit`, new URLSearchParams({ intent: "delete", confirm: "yes", version: String(letter.version) }).toString());
    expect(deleted.status).toBe(302);
    // 9,000 repeats of one hash and 30 distinct ones (within MAX_FORM_ENTRIES): the edit route's 410
    // read documentName.<hash> for every repeat (a pass over every field each).
    const distinct = Array.from({ length: 30 }, (_, i) => `documents=${i.toString(16).padStart(64, "0")}`);
    const body = [`title=Edited`, `version=${letter.version}`, ...distinct, ...Array.from({ length: 9_000 }, () => `documents=${"a".repeat(64)}`)].join("&");
    const answer = await post(`/letters/${letter.slug}/edit`, body);
    const text = await answer.text();
    expect(answer.status).toBe(410);
    expect(text).toContain("This letter was deleted after you opened it");
    expect(text.length).toBeLessThan(1_000_000);
    // None of these is stored: each is named once, to upload again, at most the form's 20; none is kept on the form.
    const named = /Its documents were deleted with it, so upload them again: ([^<]*)\./.exec(text)?.[1] ?? "";
    expect(named.split(", ")).toHaveLength(20);
    expect(text).not.toMatch(/name="documents\[\d+\]"/);
  }, 300_000);
});
