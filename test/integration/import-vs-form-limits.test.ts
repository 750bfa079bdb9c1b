/**
 * ATTACK: the importer (and the writer's rules: MAX_QUESTIONS_PER_LETTER = 500, no title limit)
 * accepts letters the staff form refuses to save (at most 200 questions, titles of at most 300
 * characters: app/domain/forms.ts). Such a letter cannot be edited through the form at all: even a
 * change of the summary alone is refused with "At most 200 questions" / "Title must be at most 300
 * characters". Also reproduced over HTTP on the built server.
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
  const long = buildLetterRecord({ id: "long-title", title: "A very long title ".repeat(50) });
  const report = importLetterFile({ content: new TextEncoder().encode(JSON.stringify({ letters: [many, long] })), fileName: "x.json", dryRun: false, actor: SYSTEM_ACTOR });
  expect(report.ok, JSON.stringify(report.problems)).toBe(true);
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

describe("ATTACK: imported letters the edit form cannot save", () => {
  for (const slug of ["many-questions", "long-title"]) {
    it(`${slug}: changing only the summary saves`, async () => {
      const outcome = await run(letterEdit.action as never, formRequest(`/letters/${slug}/edit`, { ...formOf(slug), summary: "Only the summary changes" }, editor.cookie), { slug });
      expect(outcome.status, JSON.stringify(outcome.data).slice(0, 300)).toBe(302);
    });
  }
});
