/** The upload page: editors only; a dry run reports problems and writes nothing; a real run imports. */
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { importUpload } from "~/models/letter-file-import.server";
import * as importPage from "~/routes/import";
import { buildLetterRecord } from "../factories";
import { freshDatabase, tableCounts } from "../support/database";
import { run, signedInAs } from "../support/requests";

const SYSTEM = { id: null, email: null, name: "test" };

let db: Db;
beforeAll(() => {
  db = freshDatabase();
});

function upload(content: string, fileName: string, intent: "dry-run" | "import", cookie?: string): Request {
  const body = new FormData();
  body.append("intent", intent);
  body.append("file", new File([content], fileName, { type: "application/json" }));
  return new Request("http://localhost/import", { method: "POST", body, headers: cookie ? { Cookie: cookie } : {} });
}

const GOOD_FILE = JSON.stringify({
  letters: [buildLetterRecord({ id: "imported-letter-one" }), buildLetterRecord({ id: "imported-letter-two" })],
});
const goodFile = () => GOOD_FILE;

describe("the import page", () => {
  it("refuses signed-out visitors and viewers, writing nothing", async () => {
    const before = tableCounts(db);
    expect((await run(importPage.action as never, upload(goodFile(), "a.json", "import"))).status).toBe(302);
    const { cookie } = await signedInAs("viewer");
    const before2 = tableCounts(db);
    expect((await run(importPage.action as never, upload(goodFile(), "a.json", "import", cookie))).status).toBe(403);
    expect(tableCounts(db).letters).toBe(before.letters);
    expect(tableCounts(db)).toEqual(before2);
  });

  it("a dry run of a bad file lists each problem with its letter and field, and writes nothing", async () => {
    const { cookie } = await signedInAs("editor");
    const bad = JSON.stringify({ letters: [{ ...buildLetterRecord({ id: "bad-one" }), sent_on: "2025-13-01" }] });
    const before = tableCounts(db);
    const outcome = await run(importPage.action as never, upload(bad, "bad.json", "dry-run", cookie));
    expect(outcome.status).toBe(400);
    const report = (outcome.data as { report: { ok: boolean; problems: Array<{ letterId: string; column: string }> } }).report;
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(expect.objectContaining({ letterId: "bad-one", column: "sent_on" }));
    expect(tableCounts(db)).toEqual(before);
  });

  it("a dry run of a good file says what would happen; the real run does it, once", async () => {
    const { cookie } = await signedInAs("editor");
    const before = tableCounts(db);
    const dry = await run(importPage.action as never, upload(goodFile(), "good.json", "dry-run", cookie));
    expect((dry.data as { report: { created: string[] } }).report.created).toEqual(["imported-letter-one", "imported-letter-two"]);
    expect(tableCounts(db).letters).toBe(before.letters);
    const real = await run(importPage.action as never, upload(goodFile(), "good.json", "import", cookie));
    expect(real.status).toBe(200);
    expect(tableCounts(db).letters).toBe((before.letters ?? 0) + 2);
    const again = await run(importPage.action as never, upload(goodFile(), "good.json", "import", cookie));
    expect((again.data as { report: { created: string[]; unchanged: string[] } }).report).toMatchObject({ created: [], unchanged: ["imported-letter-one", "imported-letter-two"] });
    expect(tableCounts(db).letters).toBe((before.letters ?? 0) + 2);
  });

  it("answers an upload without a file, one that is not a form, and a file over the limit with a message, writing nothing", async () => {
    const { cookie } = await signedInAs("editor");
    const before = tableCounts(db);
    const noFile = new FormData();
    noFile.append("intent", "import");
    const empty = await run(importPage.action as never, new Request("http://localhost/import", { method: "POST", body: noFile, headers: { Cookie: cookie } }));
    expect(empty).toMatchObject({ status: 400, data: { report: null, message: "Choose a file to import (JSON or CSV)." } });
    const garbled = new Request("http://localhost/import", {
      method: "POST",
      body: "--x\r\nnot a part",
      headers: { Cookie: cookie, "Content-Type": "multipart/form-data; boundary=y" },
    });
    expect(await run(importPage.action as never, garbled)).toMatchObject({ status: 400, data: { message: "The upload could not be read: send the file with the form on this page." } });
    const big = new FormData();
    big.append("intent", "import");
    big.append("file", new File([GOOD_FILE], "big.json", { type: "application/json" }));
    const over = await importUpload({ request: new Request("http://localhost/import", { method: "POST", body: big }), actor: SYSTEM, maxBytes: 1024 * 1024 * 0.0001 });
    expect(over).toEqual({ report: null, refusal: { ok: false, status: 413, message: "The file is larger than 0.0001 MB: split it into smaller files." } });
    expect(tableCounts(db)).toEqual(before);
  });
});
