/**
 * The extraction of an uploaded document's text, as a job in `document_jobs`, run off the request
 * thread: the upload's request creates the job and returns at once; this process's job runner
 * claims it and calls extractDocument (app/utils/document-extract.server.ts, which does its work in
 * worker threads), writing its progress to the row for the upload page to show.
 *
 * Claiming is one statement, so with several app processes each job runs in one of them. The
 * claimer holds the job until `lease_expires_at` and renews it while it works; a job left running
 * by a process that died is claimed again once its lease has expired (each runner looks every
 * SWEEP_MS, and at start). After MAX_ATTEMPTS claims a job fails instead of being tried again
 * (unless the document was read and only the database's lock kept its pages from being stored).
 *
 * The database busy past its timeout (another process holding the write lock: a CLI script, a
 * backup) is a passing condition, not a failure of the run that met it: a write that meets it is
 * left to the next claim (the job stays `running` until its lease lapses), and a document read
 * whose pages could not be stored is kept in memory for that claim (`kept`). That claim counts an
 * attempt like any other; past MAX_ATTEMPTS, a claim in the process holding the kept read still
 * stores it, while a claim by another process (which has no kept read) fails the job.
 */
import { waitForWriteGate, writeGateClosed } from "~/utils/write-gate.server";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import { documentJobs, documentPages, documents } from "../../db/schema";
import { progressWorthWriting, type JobProgress } from "~/domain/documents";
import type { DocumentJobState } from "~/domain/vocabulary";
import { DocumentExtractError, extractDocument, type ExtractedDocument } from "~/utils/document-extract.server";
import { documentFilePath, documentRow } from "./documents.server";
import { PROCESS_HOLDER } from "./leases.server";

export const JOB_LEASE_MS = 60_000;
const RENEW_MS = 15_000;
const SWEEP_MS = 20_000;
const MAX_ATTEMPTS = 3;
/** Jobs one process runs at once (OCR itself is limited further by the extractor). */
const MAX_RUNNING = 2;
/** Documents read whose pages could not be stored (the database busy), kept for their next claim. */
const MAX_KEPT = 4;

/** SQLite's "database is locked": another connection held the write lock past the busy timeout. */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_"));
}

export interface DocumentJob {
  id: number;
  sha256: string;
  state: DocumentJobState;
  stage: string | null;
  page: number;
  pages: number;
  error: string | null;
  createdBy: number | null;
  updatedAt: number;
}

const jobColumns = {
  id: documentJobs.id,
  sha256: documentJobs.documentSha256,
  state: documentJobs.state,
  stage: documentJobs.stage,
  page: documentJobs.page,
  pages: documentJobs.pages,
  error: documentJobs.error,
  createdBy: documentJobs.createdBy,
  updatedAt: documentJobs.updatedAt,
};

export function documentJob(id: number): DocumentJob | null {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  return getDb().select(jobColumns).from(documentJobs).where(eq(documentJobs.id, id)).get() ?? null;
}

/**
 * A job for a stored document's text. A document whose text is already known (the same file
 * uploaded before) needs no work: its job is done at once.
 */
/** Who reads an upload's job: only whoever uploaded it, or an admin. */
export interface JobViewer {
  id: number;
  role: string;
}

export function documentJobFor(id: number, viewer: JobViewer): DocumentJob | null {
  const job = documentJob(id);
  if (!job) return null;
  return job.createdBy === viewer.id || viewer.role === "admin" ? job : null;
}

export function createDocumentJob({ sha256, createdBy }: { sha256: string; createdBy: number | null }): DocumentJob {
  const known = documentRow(sha256)?.pageCount !== null;
  const id = getDb()
    .insert(documentJobs)
    .values({ documentSha256: sha256, createdBy, state: known ? "done" : "queued", stage: known ? "text" : null })
    .returning({ id: documentJobs.id })
    .get().id;
  if (!known) wakeDocumentJobs();
  return documentJob(id)!;
}

/** Takes the oldest job that is waiting, or whose holder's lease ran out; null when there is none. */
export function claimDocumentJob({ holder = PROCESS_HOLDER, now = Date.now(), leaseMs = JOB_LEASE_MS } = {}): { id: number; sha256: string; attempts: number } | null {
  // While an import is written (the bulk-write gate) a claim would wait on SQLite's lock with the
  // event loop held: the next sweep claims it.
  if (writeGateClosed()) return null;
  const claimable = sql`(state = 'queued' OR (state = 'running' AND lease_expires_at < ${now}))`;
  return (
    getDb().get<{ id: number; sha256: string; attempts: number }>(sql`
      UPDATE document_jobs SET state = 'running', holder = ${holder}, lease_expires_at = ${now + leaseMs},
        attempts = attempts + 1, updated_at = ${now}
      WHERE id = (SELECT id FROM document_jobs WHERE ${claimable} ORDER BY id LIMIT 1) AND ${claimable}
      RETURNING id, document_sha256 AS sha256, attempts`) ?? null
  );
}

/**
 * A lease renewal or a progress note (`write`) that meets a busy database (another process holding
 * the write lock past the busy timeout) is skipped, said in the log: the next one writes it, and
 * thrown from the renewals' timer it would end the process. Any other error is thrown: it is no
 * passing condition, and the run that called ends on it (runDocumentJob). Exported for its test.
 */
export function renewQuietly(write: () => unknown): void {
  try {
    write();
  } catch (error) {
    if (!isBusy(error)) throw error;
    console.error("Document job: renewing the lease met a busy database; the next renewal tries again:", error);
  }
}

function updateHeld(id: number, holder: string, values: Partial<typeof documentJobs.$inferInsert>): boolean {
  return (
    getDb()
      .update(documentJobs)
      .set({ ...values, updatedAt: Date.now() })
      .where(and(eq(documentJobs.id, id), eq(documentJobs.holder, holder), eq(documentJobs.state, "running")))
      .run().changes > 0
  );
}

/**
 * Fails the job with `message`. The database busy leaves it running: its lease lapses and the next
 * claim (an attempt more) ends it again.
 */
function fail(id: number, holder: string, message: string): void {
  try {
    updateHeld(id, holder, { state: "failed", error: message, leaseExpiresAt: null });
  } catch (error) {
    if (!isBusy(error)) throw error;
    console.error(`Document job ${id}: the database was busy, so it is not marked failed yet; the next claim tries again:`, error);
  }
}

/** A document read whose pages could not be stored, for the next run of a job of that document in this process. */
function keep(sha256: string, extracted: ExtractedDocument): void {
  const { kept } = runner();
  kept.delete(sha256);
  kept.set(sha256, extracted);
  for (const oldest of kept.keys()) {
    if (kept.size <= MAX_KEPT) break;
    kept.delete(oldest);
  }
}

/** The kept read of a document, taken out of the keeping (null when there is none). */
function takeKept(sha256: string): ExtractedDocument | null {
  const { kept } = runner();
  const extracted = kept.get(sha256) ?? null;
  kept.delete(sha256);
  return extracted;
}

/** Runs one claimed job to its end: pages stored and the job done, or the job failed with a reason. */
export async function runDocumentJob(
  claimed: { id: number; sha256: string; attempts: number },
  { holder = PROCESS_HOLDER, signal }: { holder?: string; signal?: AbortSignal } = {},
): Promise<void> {
  // Read before, by a run whose pages met a busy database: not read again, and stored whatever the
  // attempts (the cap is for readings that fail; a busy database is a passing condition, and a
  // reading on the last attempt that met it was read all the same).
  let extracted: ExtractedDocument | null = takeKept(claimed.sha256);
  if (claimed.attempts > MAX_ATTEMPTS && !extracted) {
    fail(claimed.id, holder, "Reading this document failed several times. Attach it without its text, or try another copy.");
    return;
  }
  // A renewal or progress note that fails for another reason than a busy database (the database
  // closed, full, damaged, read-only) ends the run: `stopped` is aborted with the error as its
  // reason, the reading stops, and the job fails with the error logged. Thrown from the timer it
  // would end the process; from the progress handler the extractor would swallow it.
  const stopped = new AbortController();
  const renewOrStop = (write: () => unknown) => {
    if (stopped.signal.aborted) return;
    try {
      renewQuietly(write);
    } catch (error) {
      stopped.abort(error);
    }
  };
  // Renewals and progress are skipped while an import holds the write gate (they would wait on
  // SQLite's lock with the event loop held); the pages are stored once it opens.
  const renew = setInterval(() => {
    renewOrStop(() => writeGateClosed() || updateHeld(claimed.id, holder, { leaseExpiresAt: Date.now() + JOB_LEASE_MS }));
  }, RENEW_MS);
  renew.unref();
  let last: (JobProgress & { at: number }) | null = null;
  try {
    extracted ??= await extractDocument(documentFilePath(claimed.sha256), {
      signal: signal ? AbortSignal.any([signal, stopped.signal]) : stopped.signal,
      // Named in the messages of a document stopped for its time or memory.
      name: documentRow(claimed.sha256)?.originalName ?? undefined,
      onProgress: (progress) => {
        const now = Date.now();
        if (!progressWorthWriting(last, progress, now) || writeGateClosed()) return;
        last = { ...progress, at: now };
        renewOrStop(() => updateHeld(claimed.id, holder, { stage: progress.stage, page: progress.page, pages: progress.pages, leaseExpiresAt: now + JOB_LEASE_MS }));
      },
    });
    if (signal?.aborted) return;
    await waitForWriteGate({ maxWaitMs: 30 * 60_000 });
    if (signal?.aborted) return;
    if (stopped.signal.aborted) throw stopped.signal.reason;
    const { pages } = extracted;
    getDb().transaction(
      (tx) => {
        const held = tx
          .select({ id: documentJobs.id })
          .from(documentJobs)
          .where(and(eq(documentJobs.id, claimed.id), eq(documentJobs.holder, holder), eq(documentJobs.state, "running")))
          .get();
        if (!held || !tx.select({ sha256: documents.sha256 }).from(documents).where(eq(documents.sha256, claimed.sha256)).get()) return;
        tx.delete(documentPages).where(eq(documentPages.documentSha256, claimed.sha256)).run();
        for (const page of pages) {
          tx.insert(documentPages).values({ documentSha256: claimed.sha256, number: page.number, text: page.text, source: page.source }).run();
        }
        tx.update(documents).set({ pageCount: pages.length }).where(eq(documents.sha256, claimed.sha256)).run();
        tx.update(documentJobs)
          .set({ state: "done", stage: "text", page: pages.length, pages: pages.length, leaseExpiresAt: null, updatedAt: Date.now() })
          .where(eq(documentJobs.id, claimed.id))
          .run();
        // Every other job waiting on the same document is done too.
        tx.update(documentJobs)
          .set({ state: "done", stage: "text", page: pages.length, pages: pages.length, leaseExpiresAt: null, updatedAt: Date.now() })
          .where(and(eq(documentJobs.documentSha256, claimed.sha256), sql`${documentJobs.state} IN ('queued', 'running')`))
          .run();
      },
      { behavior: "immediate" },
    );
  } catch (caught) {
    if (signal?.aborted) return;
    // The reading stopped by a renewal's failure: that failure is the job's.
    const error: unknown = stopped.signal.aborted ? stopped.signal.reason : caught;
    if (isBusy(error)) {
      // Storing the pages met another process's write lock past the busy timeout: nothing was
      // written. The job stays running; its lease lapses (no renewal from here on) and the next
      // sweep claims it again, and in this process writes the pages already read.
      if (extracted) keep(claimed.sha256, extracted);
      console.error(`Document job ${claimed.id}: the database was busy, so its pages were not stored; the next claim tries again:`, error);
      return;
    }
    if (error instanceof DocumentExtractError || (error as Error)?.name === "DocumentExtractError") {
      fail(claimed.id, holder, (error as Error).message);
    } else {
      console.error(`Document job ${claimed.id} failed:`, error);
      fail(claimed.id, holder, "The document could not be read.");
    }
  } finally {
    clearInterval(renew);
  }
}

/** Jobs this process holds go back to the queue (at shutdown), so the next process takes them at once. */
export function releaseDocumentJobs(holder = PROCESS_HOLDER): number {
  return getDb()
    .update(documentJobs)
    .set({ state: "queued", holder: null, leaseExpiresAt: null, attempts: sql`max(${documentJobs.attempts} - 1, 0)`, updatedAt: Date.now() })
    .where(and(eq(documentJobs.holder, holder), eq(documentJobs.state, "running")))
    .run().changes;
}

// ---------------------------------------------------------------------------------------------
// The runner: one per process, on globalThis (the server and the Remix build are separate bundles
// with separate module instances; both must wake the same runner).

interface Runner {
  running: Map<number, AbortController>;
  timer: NodeJS.Timeout | null;
  stopped: boolean;
  idle: Set<() => void>;
  /** Documents read whose pages met a busy database, by hash, oldest first (at most MAX_KEPT). */
  kept: Map<string, ExtractedDocument>;
}

const holderObject = globalThis as typeof globalThis & { __oversightDocumentJobs?: Runner };

function runner(): Runner {
  holderObject.__oversightDocumentJobs ??= { running: new Map(), timer: null, stopped: false, idle: new Set(), kept: new Map() };
  // A runner made by an older copy of this module (a dev rebuild) has no keeping yet.
  holderObject.__oversightDocumentJobs.kept ??= new Map();
  return holderObject.__oversightDocumentJobs;
}

/** Claims and starts jobs while this process has room. */
export function wakeDocumentJobs(): void {
  const state = runner();
  if (state.stopped) return;
  while (state.running.size < MAX_RUNNING) {
    let claimed: ReturnType<typeof claimDocumentJob>;
    try {
      claimed = claimDocumentJob();
    } catch (error) {
      // The database busy past its timeout (another process holding the write lock): the next
      // sweep claims it. Thrown from the sweep's timer, it ended the process, and every process
      // started meanwhile ended at its start the same way.
      console.error("Document jobs: claiming failed; the next sweep tries again:", error);
      break;
    }
    if (!claimed) break;
    const controller = new AbortController();
    state.running.set(claimed.id, controller);
    void runDocumentJob(claimed, { signal: controller.signal })
      .catch((error) => console.error(`Document job ${claimed.id}:`, error))
      .finally(() => {
        state.running.delete(claimed.id);
        // Waiters are woken (and forgotten) only once nothing runs: a job ending while another
        // still runs used to forget them, and documentJobsIdle() never resolved.
        if (state.running.size === 0) {
          for (const resolve of state.idle) resolve();
          state.idle.clear();
        }
        if (!state.stopped) setImmediate(wakeDocumentJobs);
      });
  }
}

/** At start: runs waiting jobs and those a dead process left, then looks again every SWEEP_MS. */
export function startDocumentJobs(): void {
  const state = runner();
  state.stopped = false;
  wakeDocumentJobs();
  state.timer ??= setInterval(wakeDocumentJobs, SWEEP_MS);
  state.timer.unref();
}

/** At shutdown: stops claiming, cancels what runs, and puts it back in the queue for the next process. */
export function stopDocumentJobs(): void {
  const state = runner();
  state.stopped = true;
  if (state.timer) clearInterval(state.timer);
  state.timer = null;
  for (const controller of state.running.values()) controller.abort();
  state.running.clear();
  try {
    releaseDocumentJobs();
  } catch {
    // The database may already be closed: the leases then expire by themselves.
  }
}

/** Resolves when this process runs no job (tests). */
export function documentJobsIdle(): Promise<void> {
  const state = runner();
  if (state.running.size === 0) return Promise.resolve();
  return new Promise((resolve) => state.idle.add(resolve));
}
