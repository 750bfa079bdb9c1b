/**
 * Writes synthetic letters (app/domain/synthetic.ts) into a migrated, empty database, fast enough
 * for 100,000 letters and ~800,000 questions in well under two minutes: prepared statements,
 * explicit ids (no RETURNING round trips), a few large immediate transactions, and one set-based
 * refreshLetterState() over every letter at the end. The FTS triggers of the real migrations
 * stay in place, so the search index is built exactly as the app builds it.
 */
import { sql } from "drizzle-orm";
import {
  syntheticLetters,
  syntheticReference,
  type SyntheticLetter,
  type SyntheticOfficial,
  type SyntheticReference,
  type SyntheticOptions,
} from "~/domain/synthetic";
import { today as serverToday } from "~/domain/dates";
import { factDateProblems, extensionProblems, letterProblems, type RuleProblem } from "~/domain/letter-rules";
import { refreshLetterState } from "~/models/letter-state.server";
import type { Db } from "./client.server";

export interface SyntheticCounts {
  letters: number;
  questions: number;
  responses: number;
  assessments: number;
  extensions: number;
}

const LETTERS_PER_TRANSACTION = 10_000;

/**
 * The one writer's rules (app/domain/letter-rules.ts) for a synthetic letter: the fast path skips
 * the writer's queries, not its rules.
 */
export function syntheticLetterProblems(letter: SyntheticLetter, today: string): RuleProblem[] {
  const problems = letterProblems(
    { sentOn: letter.sentOn, deadline: letter.deadline, closedOn: letter.closedOn, questionNumbers: letter.questions.map((_, index) => index + 1) },
    today,
  );
  letter.responses.forEach((response, index) =>
    problems.push(...factDateProblems({ field: `responses[${index}].receivedOn`, label: "Received date", date: response.receivedOn, sentOn: letter.sentOn, today })),
  );
  for (const extension of letter.extensions) problems.push(...extensionProblems({ ...extension, sentOn: letter.sentOn, today }));
  return problems;
}

/** The synthetic members, committees, agencies, officials and topics, with ids 1..n in list order. */
export function writeSyntheticReference(db: Db, reference: SyntheticReference): void {
  const sqlite = db.$client;
  const insertMember = sqlite.prepare("INSERT INTO members (id, slug, name, party, state, chamber) VALUES (?, ?, ?, ?, ?, ?)");
  const insertCommittee = sqlite.prepare("INSERT INTO committees (id, slug, name, chamber) VALUES (?, ?, ?, ?)");
  const insertAgency = sqlite.prepare("INSERT INTO agencies (id, slug, name, acronym) VALUES (?, ?, ?, ?)");
  const insertOfficial = sqlite.prepare("INSERT INTO officials (id, name, title, agency_id) VALUES (?, ?, ?, ?)");
  const insertTag = sqlite.prepare("INSERT INTO tags (id, slug, name) VALUES (?, ?, ?)");
  sqlite
    .transaction(() => {
      reference.members.forEach((m, i) => insertMember.run(i + 1, m.slug, m.name, m.party, m.state, m.chamber));
      reference.committees.forEach((c, i) => insertCommittee.run(i + 1, c.slug, c.name, c.chamber));
      reference.agencies.forEach((a, i) => insertAgency.run(i + 1, a.slug, a.name, a.acronym));
      reference.officials.forEach((o, i) => insertOfficial.run(i + 1, o.name, o.title, o.agencyIndex + 1));
      reference.tags.forEach((t, i) => insertTag.run(i + 1, t.slug, t.name));
    })
    .immediate();
}

export function writeSyntheticData({
  db,
  options,
  onProgress,
  today = serverToday(),
}: {
  db: Db;
  options: SyntheticOptions;
  onProgress?: (lettersWritten: number) => void;
  /** The server's today, for the rule that no fact lies in the future. */
  today?: string;
}): SyntheticCounts {
  const sqlite = db.$client;
  const existing = (sqlite.prepare("SELECT COUNT(*) AS n FROM letters").get() as { n: number }).n;
  if (existing > 0) {
    throw new Error(`The database already holds ${existing} letters; synthetic data goes into an empty one.`);
  }
  // Its explicit ids 1..n must never be ids a deleted letter (and its history) once had.
  const used = sqlite.prepare("SELECT (SELECT count(*) FROM sqlite_sequence WHERE seq > 0) + (SELECT count(*) FROM audit_events) AS n").get() as { n: number };
  if (used.n > 0) throw new Error("This database has held letters before; synthetic data goes into a new, empty one.");
  const reference = syntheticReference(options.seed);

  const insertLetter = sqlite.prepare(`INSERT INTO letters
    (id, slug, title, sent_on, chamber, committee_id, deadline, summary, follows_up_id, closed_on, closed_reason)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertSender = sqlite.prepare(
    "INSERT INTO letter_senders (letter_id, member_id, role, is_lead, position) VALUES (?, ?, ?, ?, ?)",
  );
  const insertRecipient = sqlite.prepare(
    "INSERT INTO letter_recipients (letter_id, official_id, agency_id, title, position) VALUES (?, ?, ?, ?, ?)",
  );
  const insertLetterTag = sqlite.prepare("INSERT INTO letter_tags (letter_id, tag_id) VALUES (?, ?)");
  const insertQuestion = sqlite.prepare(
    "INSERT INTO questions (id, letter_id, number, text, kind) VALUES (?, ?, ?, ?, ?)",
  );
  const insertResponse = sqlite.prepare(
    'INSERT INTO responses (id, letter_id, received_on, "from", completeness, summary) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertAssessment = sqlite.prepare(
    "INSERT INTO question_assessments (response_id, question_id, verdict) VALUES (?, ?, ?)",
  );
  const insertExtension = sqlite.prepare(
    "INSERT INTO deadline_changes (letter_id, new_deadline, granted_on, reason) VALUES (?, ?, ?, ?)",
  );

  writeSyntheticReference(db, reference);

  const counts: SyntheticCounts = { letters: 0, questions: 0, responses: 0, assessments: 0, extensions: 0 };
  const letters = syntheticLetters(options, reference);
  const writeBatch = sqlite.transaction((limit: number) => {
    for (let written = 0; written < limit; written++) {
      const step = letters.next();
      if (step.done) return false;
      const letter = step.value;
      const problems = syntheticLetterProblems(letter, today);
      if (problems.length > 0) {
        throw new Error(`Synthetic letter ${letter.slug} breaks the letter rules: ${problems.map((p) => `${p.field}: ${p.message}`).join("; ")}`);
      }
      insertLetter.run(
        letter.id,
        letter.slug,
        letter.title,
        letter.sentOn,
        letter.chamber,
        letter.committeeIndex === null ? null : letter.committeeIndex + 1,
        letter.deadline,
        letter.summary,
        letter.followsUpId,
        letter.closedOn,
        letter.closedReason,
      );
      letter.senders.forEach((sender, position) =>
        insertSender.run(letter.id, sender.memberIndex + 1, sender.role, sender.isLead ? 1 : 0, position + 1),
      );
      letter.recipientOfficials.forEach((officialIndex, position) => {
        const official = reference.officials[officialIndex] as SyntheticOfficial;
        insertRecipient.run(letter.id, officialIndex + 1, official.agencyIndex + 1, official.title, position + 1);
      });
      for (const tagIndex of letter.tagIndexes) insertLetterTag.run(letter.id, tagIndex + 1);
      const firstQuestionId = counts.questions + 1;
      letter.questions.forEach((question, index) =>
        insertQuestion.run(firstQuestionId + index, letter.id, index + 1, question.text, question.kind),
      );
      const firstResponseId = counts.responses + 1;
      letter.responses.forEach((response, index) =>
        insertResponse.run(
          firstResponseId + index,
          letter.id,
          response.receivedOn,
          response.from,
          response.completeness,
          response.summary,
        ),
      );
      for (const assessment of letter.assessments) {
        insertAssessment.run(
          firstResponseId + assessment.responseIndex,
          firstQuestionId + assessment.questionNumber - 1,
          assessment.verdict,
        );
      }
      for (const extension of letter.extensions) {
        insertExtension.run(letter.id, extension.newDeadline, extension.grantedOn, extension.reason);
      }
      counts.letters += 1;
      counts.questions += letter.questions.length;
      counts.responses += letter.responses.length;
      counts.assessments += letter.assessments.length;
      counts.extensions += letter.extensions.length;
    }
    return true;
  });
  while (writeBatch.immediate(LETTERS_PER_TRANSACTION)) onProgress?.(counts.letters);
  onProgress?.(counts.letters);

  // One set-based pass computes every letter's and question's derived state.
  db.transaction((tx) => refreshLetterState({ tx }), { behavior: "immediate" });
  db.run(sql`PRAGMA wal_checkpoint(TRUNCATE)`);
  return counts;
}
