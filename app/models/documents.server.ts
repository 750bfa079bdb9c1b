/**
 * Documents on disk and in the database: stored once per content under FILES_PATH/ab/cd/<sha256>,
 * described by a `documents` row, linked to letters and responses by the letter writer, removed
 * (rows and file) when nothing refers to them any more.
 *
 * Adding and removing race between processes without a lock, by order:
 * - an upload inserts the row first, then makes sure the file is there (moving its temp file in
 *   when it is not);
 * - removal deletes the row (only if nothing links to it), then moves the file aside, then looks
 *   again: a row that came back meanwhile gets its file back, otherwise the file is deleted.
 * Whatever interleaving, a committed row ends with its file.
 */
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { asc, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Db, type DbOrTx } from "../../db/client.server";
import { documentPages, documents, letterDocuments, responseDocuments } from "../../db/schema";
import { documentPathSegments, documentUrl, isSha256 } from "~/domain/documents";
import { env } from "~/env.server";
import { prepared } from "./prepared.server";

export function filesRoot(): string {
  return path.resolve(env.FILES_PATH);
}

/** Where a document's bytes are. */
export function documentFilePath(sha256: string, root = filesRoot()): string {
  return path.join(root, ...documentPathSegments(sha256));
}

/** Uploads are written here first: on the same file system, so moving one into place is a rename. */
export function uploadsDirectory(root = filesRoot()): string {
  return path.join(root, "tmp");
}

export function newUploadPath(root = filesRoot()): string {
  const directory = uploadsDirectory(root);
  fs.mkdirSync(directory, { recursive: true });
  return path.join(directory, `${Date.now()}-${randomUUID()}.upload`);
}

export interface StoredDocument {
  sha256: string;
  mediaType: string;
  byteSize: number;
  pageCount: number | null;
  originalName: string;
}

/**
 * Records an upload written to `tempPath` (its hash computed while it was written): the row if the
 * content is new, then the file in place. The temp file is gone afterwards either way.
 */
export function storeUpload({
  tempPath,
  sha256,
  mediaType,
  byteSize,
  originalName,
  root = filesRoot(),
}: {
  tempPath: string;
  sha256: string;
  mediaType: string;
  byteSize: number;
  originalName: string;
  root?: string;
}): StoredDocument {
  try {
    getDb()
      .insert(documents)
      .values({ sha256, mediaType, byteSize, originalName })
      .onConflictDoNothing()
      .run();
    const target = documentFilePath(sha256, root);
    if (!fs.existsSync(target)) {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.renameSync(tempPath, target);
    }
  } finally {
    fs.rmSync(tempPath, { force: true });
  }
  return documentRow(sha256)!;
}

export function documentRow(sha256: string, db: DbOrTx = getDb()): StoredDocument | null {
  if (!isSha256(sha256)) return null;
  return (
    db
      .select({
        sha256: documents.sha256,
        mediaType: documents.mediaType,
        byteSize: documents.byteSize,
        pageCount: documents.pageCount,
        originalName: documents.originalName,
      })
      .from(documents)
      .where(eq(documents.sha256, sha256))
      .get() ?? null
  );
}

export function documentPagesOf(sha256: string, db: DbOrTx = getDb()): Array<{ number: number; text: string; source: string }> {
  return db
    .select({ number: documentPages.number, text: documentPages.text, source: documentPages.source })
    .from(documentPages)
    .where(eq(documentPages.documentSha256, sha256))
    .orderBy(asc(documentPages.number))
    .all();
}

/** A document as pages and the API list it. */
export interface DocumentListItem {
  sha256: string;
  name: string;
  mediaType: string;
  bytes: number;
  pages: number | null;
  url: string;
}

function listItem(row: StoredDocument): DocumentListItem {
  return {
    sha256: row.sha256,
    name: row.originalName,
    mediaType: row.mediaType,
    bytes: row.byteSize,
    pages: row.pageCount,
    url: documentUrl(row.sha256, row.originalName, row.mediaType),
  };
}

const listColumns = {
  sha256: documents.sha256,
  mediaType: documents.mediaType,
  byteSize: documents.byteSize,
  pageCount: documents.pageCount,
  originalName: documents.originalName,
};

export function letterDocumentsOf(letterId: number, db: DbOrTx = getDb()): DocumentListItem[] {
  // Every letter page reads it: built and prepared once per connection (prepared.server.ts).
  return prepared(db, "documents.ofLetter", (on) => on
    .select(listColumns)
    .from(letterDocuments)
    .innerJoin(documents, eq(documents.sha256, letterDocuments.documentSha256))
    .where(eq(letterDocuments.letterId, sql.placeholder("letterId")))
    .orderBy(asc(letterDocuments.position))
    .prepare())
    .all({ letterId })
    .map(listItem);
}

/** Each response's documents, by response id. */
export function responseDocumentsOf(responseIds: number[], db: DbOrTx = getDb()): Map<number, DocumentListItem[]> {
  const byResponse = new Map<number, DocumentListItem[]>();
  if (responseIds.length === 0) return byResponse;
  // The ids as one JSON parameter, so that one prepared statement serves any number of them.
  const rows = prepared(db, "documents.ofResponses", (on) => on
    .select({ responseId: responseDocuments.responseId, ...listColumns })
    .from(responseDocuments)
    .innerJoin(documents, eq(documents.sha256, responseDocuments.documentSha256))
    .where(sql`${responseDocuments.responseId} IN (SELECT value FROM json_each(${sql.placeholder("ids")}))`)
    .orderBy(asc(responseDocuments.responseId), asc(responseDocuments.position))
    .prepare())
    .all({ ids: JSON.stringify(responseIds) });
  for (const { responseId, ...row } of rows) {
    const list = byResponse.get(responseId) ?? [];
    list.push(listItem(row));
    byResponse.set(responseId, list);
  }
  return byResponse;
}

/** Names and facts of documents by hash, for forms that carry hashes in hidden fields. */
export function documentsByHash(hashes: string[], db: DbOrTx = getDb()): Record<string, DocumentListItem> {
  const valid = [...new Set(hashes.filter(isSha256))];
  if (valid.length === 0) return {};
  return Object.fromEntries(
    db.select(listColumns).from(documents).where(inArray(documents.sha256, valid)).all().map((row) => [row.sha256, listItem(row)]),
  );
}

function isReferenced(db: DbOrTx, sha256: string): boolean {
  return Boolean(
    db.get(sql`SELECT 1 AS found FROM letter_documents WHERE document_sha256 = ${sha256}
      UNION ALL SELECT 1 FROM response_documents WHERE document_sha256 = ${sha256} LIMIT 1`),
  );
}

/**
 * Removes documents that nothing refers to any more, rows (pages, search index and jobs go with
 * them) and files: called after a write that detached them has committed. A document still linked
 * somewhere is left alone. Returns the hashes removed.
 */
export function collectDocuments(hashes: Iterable<string>, { root = filesRoot(), db = getDb() }: { root?: string; db?: Db } = {}): string[] {
  const removed: string[] = [];
  for (const sha256 of new Set(hashes)) {
    if (!isSha256(sha256)) continue;
    const deleted = db.transaction(
      (tx) => {
        if (isReferenced(tx, sha256)) return false;
        return tx.delete(documents).where(eq(documents.sha256, sha256)).run().changes > 0;
      },
      { behavior: "immediate" },
    );
    if (!deleted) continue;
    removeFileUnlessStored(sha256, root, db);
    removed.push(sha256);
  }
  return removed;
}

/** Deletes a document's file, unless an upload stored its row again meanwhile (see the top). */
function removeFileUnlessStored(sha256: string, root: string, db: Db): void {
  const file = documentFilePath(sha256, root);
  const aside = `${file}.removing-${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return; // already gone
  }
  if (documentRow(sha256, db)) {
    if (!fs.existsSync(file)) fs.renameSync(aside, file);
    else fs.rmSync(aside, { force: true });
  } else {
    fs.rmSync(aside, { force: true });
  }
}

/**
 * At start: documents uploaded but never attached (the form was abandoned) once `graceMs` has
 * passed since their upload; files no row describes; uploads left half-written by a crash.
 */
export function sweepOrphanDocuments({
  graceMs = 24 * 60 * 60 * 1000,
  root = filesRoot(),
  now = Date.now(),
  db = getDb(),
}: { graceMs?: number; root?: string; now?: number; db?: Db } = {}): { rows: number; files: number } {
  const unlinked = db
    .all<{ sha256: string }>(sql`SELECT d.sha256 AS sha256 FROM documents d
      WHERE d.created_at < ${now - graceMs}
        AND NOT EXISTS (SELECT 1 FROM letter_documents ld WHERE ld.document_sha256 = d.sha256)
        AND NOT EXISTS (SELECT 1 FROM response_documents rd WHERE rd.document_sha256 = d.sha256)
        AND NOT EXISTS (SELECT 1 FROM document_jobs j WHERE j.document_sha256 = d.sha256 AND j.updated_at >= ${now - graceMs})`)
    .map((row) => row.sha256);
  const rows = collectDocuments(unlinked, { root, db }).length;

  let files = 0;
  const old = (file: string) => {
    try {
      return fs.statSync(file).mtimeMs < now - Math.min(graceMs, 60 * 60 * 1000);
    } catch {
      return false;
    }
  };
  if (!fs.existsSync(root)) return { rows, files };
  for (const first of fs.readdirSync(root)) {
    const firstPath = path.join(root, first);
    if (first === "tmp") {
      for (const upload of fs.readdirSync(firstPath)) {
        const file = path.join(firstPath, upload);
        if (old(file)) {
          fs.rmSync(file, { force: true });
          files += 1;
        }
      }
      continue;
    }
    if (!/^[0-9a-f]{2}$/.test(first) || !fs.statSync(firstPath).isDirectory()) continue;
    for (const second of fs.readdirSync(firstPath)) {
      const secondPath = path.join(firstPath, second);
      if (!fs.statSync(secondPath).isDirectory()) continue;
      for (const name of fs.readdirSync(secondPath)) {
        const file = path.join(secondPath, name);
        const sha256 = name.split(".")[0]!;
        const stray = name !== sha256 || !isSha256(sha256) || !documentRow(sha256, db);
        if (stray && old(file)) {
          fs.rmSync(file, { force: true });
          files += 1;
        }
      }
    }
  }
  return { rows, files };
}

/** Every stored document's hash and size (for backups). */
export function allDocuments(db: DbOrTx = getDb()): Array<{ sha256: string; byteSize: number }> {
  return db.select({ sha256: documents.sha256, byteSize: documents.byteSize }).from(documents).orderBy(documents.sha256).all();
}
