/**
 * Found by attack: the importer accepted letters the staff form refused to save (250 questions,
 * 900-character titles), which then could not be edited at all. The limits now live in one place
 * (TEXT_LIMITS and MAX_QUESTIONS_PER_LETTER in app/domain/letter-rules.ts): what the importer takes
 * the form can edit, and what the form would refuse the importer refuses, naming the field.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { SYSTEM_ACTOR } from "~/models/audit.server";
import { importLetterFile } from "~/models/letter-file-import.server";
import { letterFormValues } from "~/models/letter-forms.server";
import * as letterEdit from "~/routes/letters.$slug_.edit";
import { buildLetterRecord } from "../factories";
import { freshDatabase } from "../support/database";
import { formRequest, run, signedInAs } from "../support/requests";

let db: Db;
let editor: { cookie: string };
beforeAll(async () => {
  db = freshDatabase();
  editor = await signedInAs("editor");
  const many = buildLetterRecord({ id: "many-questions", questions: Array.from({ length: 250 }, (_, i) => ({ n: i + 1, text: `Question ${i + 1}`, kind: "question" as const })) });
  const report = await importLetterFile({ content: new TextEncoder().encode(JSON.stringify({ letters: [many] })), fileName: "x.json", dryRun: false, actor: SYSTEM_ACTOR });
  expect(report.ok, JSON.stringify(report.problems)).toBe(true);
});

it("refuses to import a title the form could not save, naming the letter and field", async () => {
  const long = { ...buildLetterRecord({ id: "long-title" }), title: "A very long title ".repeat(50) };
  const report = await importLetterFile({ content: new TextEncoder().encode(JSON.stringify({ letters: [long] })), fileName: "y.json", dryRun: false, actor: SYSTEM_ACTOR });
  expect(report.problems).toEqual([{ row: null, letterId: "long-title", column: "title", reason: "must be at most 300 characters" }]);
});

function formOf(slug: string): Record<string, string> {
  const loaded = letterFormValues({ slug })!;
  const v = loaded.values;
  const fields: Record<string, string> = { version: String(loaded.version), base: JSON.stringify(v), title: v.title, slug: v.slug, sentOn: v.sentOn, chamber: v.chamber, leadSender: v.leadSender, tags: v.tags };
  if (v.committee) fields.committee = v.committee;
  if (v.deadline) fields.deadline = v.deadline;
  v.senders.forEach((s, i) => { fields[`senders[${i}].member`] = s.member; if (s.role) fields[`senders[${i}].role`] = s.role; });
  v.recipients.forEach((r, i) => (fields[`recipients[${i}].official`] = r.official));
  v.questions.forEach((q, i) => { fields[`questions[${i}].id`] = q.id; fields[`questions[${i}].text`] = q.text; fields[`questions[${i}].kind`] = q.kind; });
  return fields;
}

it.each([
  ["id", { id: `x${"-ab".repeat(60)}` }, "must be at most 120 characters"],
  ["source", { source: `https://example.org/${"a".repeat(2000)}` }, "must be at most 2000 characters"],
  ["topic_tags", { topic_tags: Array.from({ length: 60 }, (_, i) => `topic-number-${i}`) }, "must be at most 500 characters in all"],
])("refuses to import a %s the form could not save", async (column, overrides, reason) => {
  const record = { ...buildLetterRecord({ id: "limits" }), ...overrides };
  const report = await importLetterFile({ content: new TextEncoder().encode(JSON.stringify({ letters: [record] })), fileName: "z.json", dryRun: false, actor: SYSTEM_ACTOR });
  expect(report.problems).toEqual([expect.objectContaining({ column, reason })]);
});

describe("imported letters the edit form can save", () => {
  for (const slug of ["many-questions"]) {
    it(`${slug}: changing only the summary saves`, async () => {
      const outcome = await run(letterEdit.action as never, formRequest(`/letters/${slug}/edit`, { ...formOf(slug), summary: "Only the summary changes" }, editor.cookie), { slug });
      expect(outcome.status, JSON.stringify(outcome.data).slice(0, 300)).toBe(302);
    });
  }
});
