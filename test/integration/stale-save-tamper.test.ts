/**
 * ATTACK: optimistic concurrency on the letter edit form can be bypassed or crashed by the hidden
 * fields a stale form carries.
 * - A save whose `version` is missing or malformed ("abc", "-1", "0", "1.5", "99999999999") is
 *   taken as "no check" (app/utils/form-version.ts submittedVersion) and silently overwrites the
 *   other editor's newer save: a lost update.
 * - A stale save whose `base` is JSON of the wrong shape ({"questions":"x"}, {"questions":[null]})
 *   throws inside reapplyList (app/domain/edit-merge.ts) while building the 409 reply: a 500.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { letters } from "../../db/schema";
import * as letterEdit from "~/routes/letters.$slug_.edit";
import { letterFormValues } from "~/models/letter-forms.server";
import { freshDatabase } from "../support/database";
import { formRequest, run, signedInAs } from "../support/requests";

const SLUG = "meeks-castro-rubio-el-salvador-2025-04-17";
let db: Db;
let editor: { cookie: string };

beforeAll(async () => {
  db = freshDatabase();
  seedFromFile({ db, file: DEMO_SEED_FILE });
  editor = await signedInAs("editor");
});

/** The edit form as a browser would post it, loaded now. */
function loadedForm(): Record<string, string> {
  const loaded = letterFormValues({ slug: SLUG })!;
  const v = loaded.values;
  const fields: Record<string, string> = {
    version: String(loaded.version),
    base: JSON.stringify(v),
    title: v.title,
    slug: v.slug,
    sentOn: v.sentOn,
    chamber: v.chamber,
    leadSender: v.leadSender,
    tags: v.tags,
  };
  if (v.committee) fields.committee = v.committee;
  if (v.sourceUrl) fields.sourceUrl = v.sourceUrl;
  v.senders.forEach((s, i) => {
    fields[`senders[${i}].member`] = s.member;
    if (s.role) fields[`senders[${i}].role`] = s.role;
  });
  v.recipients.forEach((r, i) => (fields[`recipients[${i}].official`] = r.official));
  v.questions.forEach((q, i) => {
    fields[`questions[${i}].id`] = q.id;
    fields[`questions[${i}].text`] = q.text;
    fields[`questions[${i}].kind`] = q.kind;
  });
  return fields;
}

const post = (fields: Record<string, string>) => run(letterEdit.action as never, formRequest(`/letters/${SLUG}/edit`, fields, editor.cookie), { slug: SLUG });
const title = () => db.select({ title: letters.title }).from(letters).where(eq(letters.slug, SLUG)).get()!.title;

describe("ATTACK: stale letter saves", () => {
  it("a stale form is refused (control)", async () => {
    const stale = loadedForm();
    expect((await post({ ...loadedForm(), title: "First editor's title A" })).status).toBe(302);
    expect((await post({ ...stale, summary: "second editor" })).status).toBe(409);
    expect(title()).toBe("First editor's title A");
  });

  for (const version of [null, "abc", "-1", "0", "1.5", "99999999999"]) {
    it(`a stale form with version ${JSON.stringify(version)} must not overwrite the newer save`, async () => {
      const stale = loadedForm();
      const mine = `First editor's title ${version}`;
      expect((await post({ ...loadedForm(), title: mine })).status).toBe(302);
      const tampered: Record<string, string> = { ...stale, summary: `stale save with version ${version}` };
      if (version === null) delete tampered.version;
      else tampered.version = version;
      const outcome = await post(tampered);
      // Expected: refused as stale (409) or as malformed (400); seen: 302 and the title reverted.
      expect(outcome.status).not.toBe(302);
      expect(title()).toBe(mine);
    });
  }

  for (const base of ['{"questions":"x"}', '{"questions":[null]}', '{"questions":{"length":2}}']) {
    it(`a stale form whose base is ${base} gets a 409, not a 500`, async () => {
      const stale = loadedForm();
      expect((await post({ ...loadedForm(), title: `Title before base ${base}` })).status).toBe(302);
      const outcome = await post({ ...stale, summary: "mine", base });
      expect(outcome.status).toBe(409);
    });
  }
});
