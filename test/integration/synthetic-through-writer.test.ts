/**
 * The synthetic bulk writer keeps a fast path (prepared statements, no history), but it may not
 * store anything the one letter writer would not: the same synthetic letters written both ways
 * give identical rows, and a synthetic letter that breaks a rule stops the fast path too.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../db/client.server";
import { runMigrations } from "../../db/migrate.server";
import { syntheticLetterProblems, writeSyntheticData, writeSyntheticReference } from "../../db/synthetic.server";
import { syntheticLetters, syntheticReference, type SyntheticLetter } from "~/domain/synthetic";
import { SYSTEM_ACTOR } from "~/models/audit.server";
import { writeClosing, writeExtension, writeLetter, writeResponse } from "~/models/letter-writer.server";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-synthetic-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const OPTIONS = { letters: 150, seed: 11, endDate: "2026-06-30" };
const TODAY = "2026-07-01";

function database(name: string): Db {
  const db = openDatabase(path.join(dir, name));
  runMigrations(db);
  return db;
}

/** Every stored fact and derived column, minus what only the writer keeps (versions, history, times). */
function facts(db: Db) {
  const all = (query: string) => db.$client.prepare(query).raw().all();
  return {
    letters: all(`SELECT id, slug, title, sent_on, chamber, committee_id, deadline, summary, notes, source_url, follows_up_id,
      closed_on, closed_reason, effective_deadline, first_response_on, latest_response_on, latest_completeness, answer_status,
      questions_total, questions_open FROM letters ORDER BY id`),
    senders: all("SELECT letter_id, member_id, role, is_lead, position FROM letter_senders ORDER BY letter_id, position"),
    recipients: all("SELECT letter_id, official_id, agency_id, title, position FROM letter_recipients ORDER BY letter_id, position"),
    tags: all("SELECT letter_id, tag_id FROM letter_tags ORDER BY letter_id, tag_id"),
    questions: all("SELECT id, letter_id, number, text, kind, status, status_on FROM questions ORDER BY id"),
    responses: all('SELECT id, letter_id, received_on, "from", completeness, summary FROM responses ORDER BY id'),
    assessments: all("SELECT response_id, question_id, verdict FROM question_assessments ORDER BY response_id, question_id"),
    extensions: all("SELECT letter_id, new_deadline, granted_on, reason FROM deadline_changes ORDER BY letter_id, granted_on, new_deadline"),
    search: all("SELECT rowid, kind, item_id, letter_id, title, body FROM search_index ORDER BY rowid"),
    members: all("SELECT * FROM members ORDER BY id"),
    agencies: all("SELECT * FROM agencies ORDER BY id"),
    officials: all("SELECT * FROM officials ORDER BY id"),
  };
}

describe("the synthetic fast path and the one writer", () => {
  it("store identical rows for the same synthetic letters", () => {
    const fast = database("fast.db");
    writeSyntheticData({ db: fast, options: OPTIONS, today: TODAY });

    const slow = database("slow.db");
    const reference = syntheticReference(OPTIONS.seed);
    writeSyntheticReference(slow, reference);
    const slugById = new Map<number, string>();
    let questionIds = 0;
    for (const letter of syntheticLetters(OPTIONS, reference)) {
      slow.transaction((tx) => {
        const { id } = writeLetter({
          tx,
          actor: SYSTEM_ACTOR,
          today: TODAY,
          input: {
            slug: letter.slug,
            title: letter.title,
            sentOn: letter.sentOn,
            chamber: letter.chamber,
            committee: letter.committeeIndex === null ? null : { slug: reference.committees[letter.committeeIndex]!.slug },
            deadline: letter.deadline,
            summary: letter.summary,
            notes: null,
            sourceUrl: null,
            followsUp: letter.followsUpId === null ? null : slugById.get(letter.followsUpId)!,
            senders: letter.senders.map((sender) => ({ member: { slug: reference.members[sender.memberIndex]!.slug }, role: sender.role, isLead: sender.isLead })),
            recipients: letter.recipientOfficials.map((index) => ({ official: { id: index + 1 } })),
            tags: letter.tagIndexes.map((index) => reference.tags[index]!.slug),
            questions: letter.questions,
          },
        });
        expect(id).toBe(letter.id);
        slugById.set(id, letter.slug);
        const firstQuestionId = questionIds + 1;
        questionIds += letter.questions.length;
        letter.responses.forEach((response, index) =>
          writeResponse({
            tx,
            letterId: id,
            actor: SYSTEM_ACTOR,
            today: TODAY,
            input: {
              ...response,
              sourceUrl: null,
              notes: null,
              verdicts: letter.assessments
                .filter((assessment) => assessment.responseIndex === index)
                .map((assessment) => ({ questionId: firstQuestionId + assessment.questionNumber - 1, verdict: assessment.verdict })),
            },
          }),
        );
        for (const extension of letter.extensions) writeExtension({ tx, letterId: id, values: extension, actor: SYSTEM_ACTOR, today: TODAY });
        if (letter.closedOn) writeClosing({ tx, letterId: id, closing: { closedOn: letter.closedOn, reason: letter.closedReason! }, actor: SYSTEM_ACTOR, today: TODAY });
      });
    }

    const expected = facts(slow);
    expect(expected.letters).toHaveLength(150);
    expect(expected.assessments.length).toBeGreaterThan(0);
    expect(expected.extensions.length).toBeGreaterThan(0);
    expect(facts(fast)).toEqual(expected);
    fast.$client.close();
    slow.$client.close();
  });

  it("holds synthetic letters to the writer's rules", () => {
    const letter = syntheticLetters(OPTIONS, syntheticReference(OPTIONS.seed)).next().value as SyntheticLetter;
    expect(syntheticLetterProblems(letter, TODAY)).toEqual([]);
    const future = { ...letter, responses: [{ receivedOn: "2099-01-01", from: "Agency", completeness: "full" as const, summary: "" }] };
    expect(syntheticLetterProblems(future, TODAY).map((problem) => problem.field)).toEqual(["responses[0].receivedOn"]);
    // The fast path refuses to write data dated after its today.
    const db = database("refused.db");
    expect(() => writeSyntheticData({ db, options: OPTIONS, today: "2020-01-01" })).toThrow(/breaks the letter rules/);
    db.$client.close();
  });
});
