/**
 * The reads that can take more than a few milliseconds at 100,000 letters, by name: the read pool
 * (app/utils/read-pool.server.ts) runs them in worker threads, each on its own read-only
 * connection, so that the event loop only routes and renders. Arguments and results cross a
 * thread boundary: plain data only (no Maps, Dates or functions; a file's bytes as a Uint8Array are
 * fine). Besides reads of the database, the CPU-heavy checks of what a staffer sends (an import
 * file, pasted letter text) run here too: they are pure work that would otherwise block the loop.
 *
 * A loader calls `readInPool(name, args)`; without a pool (the tests of models, scripts) the same
 * function runs inline.
 */
import type { CalendarDate } from "~/domain/dates";
import { ALL_LETTERS, type LetterFilters, type QuestionFilters } from "~/domain/filters";
import type { ScorecardSort } from "~/domain/scorecards";
import type { NameKind, SearchKind } from "~/domain/search";
import { proposeLetter, type LetterProposal } from "~/domain/letter-proposal";
import { matchRecipients, matchSigners } from "./identity.server";
import { agencyListJson } from "./api.server";
import { getAgencyScorecard, listAgencyScorecards } from "./agencies.server";
import { senderSideFigures } from "./answered.server";
import { writeDataPackage } from "./data-package.server";
import { briefing } from "./briefing.server";
import { overviewFigures } from "./dashboard.server";
import { deadlineCalendarChunk } from "./calendar.server";
import { checkImportUpload, checkLetterFile } from "./letter-file-check.server";
import { countLetters, listLetters } from "./letters.server";
import { dataRevision } from "./figure-cache.server";
import { profileLists, profilePage } from "./profiles.server";
import { countQuestions, listQuestions } from "./questions.server";
import { search, searchNames, type SearchFindings } from "./search.server";
import { agencyBadgeFacts, letterShareFacts } from "./share.server";
import { renderLetterCard } from "~/utils/share-image.server";
import { withStateSnapshot } from "./state-snapshot.server";

export const readTasks = {
  overview: ({ asOf }: { asOf: CalendarDate }) =>
    withStateSnapshot({ asOf, cacheKey: "overview", run: () => overviewFigures({ asOf }) }),
  agencyScorecards: ({ asOf, sort }: { asOf: CalendarDate; sort: ScorecardSort }) => listAgencyScorecards({ asOf, sort }),
  agencyPage: ({ slug, asOf, filters }: { slug: string; asOf: CalendarDate; filters: LetterFilters }) => {
    const scorecard = getAgencyScorecard({ slug, asOf });
    if (!scorecard) return null;
    return {
      ...scorecard,
      ...profileLists({ asOf, scope: { agency: scorecard.agency.slug }, letterFilters: filters }),
      sides: senderSideFigures({ asOf, selection: { ...ALL_LETTERS, agency: scorecard.agency.slug } }),
    };
  },
  /** The bulk data package written into `dir` from one snapshot (heavy lane; data-package.server.ts). */
  dataPackage: (args: { dir: string; siteUrl: string | null }) => writeDataPackage(args),
  /** Who gets answered: figures by the senders' side over every letter (the /answered page). */
  senderSides: ({ asOf }: { asOf: CalendarDate }) =>
    withStateSnapshot({ asOf, cacheKey: "senderSides", run: () => senderSideFigures({ asOf }) }),
  memberPage: ({ slug, asOf, filters }: { slug: string; asOf: CalendarDate; filters: LetterFilters }) =>
    profilePage({ asOf, scope: { member: slug }, letterFilters: filters }),
  committeePage: ({ slug, asOf, filters }: { slug: string; asOf: CalendarDate; filters: LetterFilters }) =>
    profilePage({ asOf, scope: { committee: slug }, letterFilters: filters }),
  briefing: ({ filters, asOf }: { filters: QuestionFilters; asOf: CalendarDate }) => briefing({ filters, asOf }),
  listLetters: (args: { filters: LetterFilters; asOf: CalendarDate; pageSize?: number; total?: number }) => listLetters(args),
  /**
   * A list's total, with the data revision read before counting (list-totals.server.ts keeps it on
   * the event loop for every read thread: the findings are labelled no newer than what they saw).
   */
  listTotal: ({ list, filters, asOf }: { list: "letters" | "questions"; filters: LetterFilters | QuestionFilters; asOf: CalendarDate }) => {
    const revision = dataRevision();
    const total = list === "letters" ? countLetters({ filters: filters as LetterFilters, asOf }) : countQuestions({ filters: filters as QuestionFilters, asOf });
    return { revision, total };
  },
  /** `/api/agencies`: every agency's counts and figures over the selected letters. */
  apiAgencies: (args: Parameters<typeof agencyListJson>[0]) => agencyListJson(args),
  listQuestions: (args: { filters: QuestionFilters; asOf: CalendarDate; pageSize?: number; total?: number }) => listQuestions(args),
  /**
   * /search: the letters, questions, responses and documents found (one kind, or the first of each),
   * and, with every kind, the people, agencies and committees whose names match (one group with
   * `names`: then only it).
   */
  search: (args: { q: string; asOf: CalendarDate; kind: SearchKind | null; page: number; names?: NameKind | null; findings?: SearchFindings | null }) => ({
    ...(args.names ? { query: args.q, groups: [], findings: null } : search(args, { findings: args.findings ?? null })),
    names: args.kind ? [] : searchNames({ q: args.q, asOf: args.asOf, only: args.names ?? null }),
  }),
  /** A page of the deadline calendar, its text written here (calendar.server.ts), not on the event loop. */
  deadlineCalendarChunk: (args: Parameters<typeof deadlineCalendarChunk>[0]) => deadlineCalendarChunk(args),
  /** An import file's check: the problem report, or the records to write (letter-file-import.server.ts writes them). */
  checkLetterFile: (args: { content: Uint8Array; fileName: string; today: CalendarDate }) => checkLetterFile(args),
  /** The import page's raw multipart upload: its form read, then its file checked as by checkLetterFile. */
  checkImportUpload: (args: { body: Uint8Array; contentType: string; today: CalendarDate; maxBytes: number }) => checkImportUpload(args),
  /**
   * "Propose from text" on the letter forms: the whole letter proposed from its text (pasted, or
   * extracted from a document), relative deadlines counted from `sentOn` when the text has no date line.
   */
  /** A whole letter proposed from its text, its senders and recipients matched to the roster and directory. */
  /** A letter's card image for link previews (PNG bytes), or null for no such letter. Seconds of CPU cold. */
  letterCard: async ({ slug, asOf, site }: { slug: string; asOf: CalendarDate; site: string }) => {
    const facts = letterShareFacts({ slug, asOf });
    return facts ? renderLetterCard(facts, site) : null;
  },
  /** An agency's badge figures (its whole set of letters: a figure over thousands at national scale). */
  agencyBadge: ({ slug, asOf }: { slug: string; asOf: CalendarDate }) => agencyBadgeFacts({ slug, asOf }),
  proposeLetter: ({ text, sentOn }: { text: string; sentOn: CalendarDate | null }) => withIdentityMatches(proposeLetter(text, { sentOn })),
} satisfies Record<string, (args: never) => unknown>;

function withIdentityMatches(proposal: LetterProposal): LetterProposal {
  const signers = matchSigners(proposal.senders.map((sender) => ({ name: sender.name, title: sender.title ?? null })));
  const recipients = matchRecipients(
    proposal.recipients.map((recipient) => ({ name: recipient.name, title: recipient.title ?? null, agencyName: recipient.agencyName ?? null })),
  );
  return {
    ...proposal,
    matches: {
      senders: signers.map((signer) => (signer.match ? { member: signer.match.label } : null)),
      recipients: recipients.map((recipient) =>
        recipient.agency || recipient.official
          ? { official: recipient.official?.label ?? null, agency: recipient.agency?.label ?? null, name: recipient.personName, title: recipient.title }
          : null,
      ),
    },
  };
}

export type ReadTasks = typeof readTasks;
export type ReadTaskName = keyof ReadTasks;
export type ReadTaskArgs<N extends ReadTaskName> = Parameters<ReadTasks[N]>[0];
export type ReadTaskResult<N extends ReadTaskName> = ReturnType<ReadTasks[N]>;

/** Runs a task on this thread's connection (in a worker, the read-only one). */
export function runReadTask<N extends ReadTaskName>(name: N, args: ReadTaskArgs<N>): ReadTaskResult<N> {
  const task = readTasks[name] as ((args: ReadTaskArgs<N>) => ReadTaskResult<N>) | undefined;
  if (typeof task !== "function" || !Object.hasOwn(readTasks, name)) throw new Error(`No read task "${String(name)}"`);
  return task(args);
}
