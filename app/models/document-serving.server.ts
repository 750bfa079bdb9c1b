/**
 * What serving a stored document needs: its row, whether anything public refers to it, its file.
 */
import fs from "node:fs";
import { sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import { documentFilePath, documentRow, type StoredDocument } from "./documents.server";

/**
 * The document at `sha256` and whether a letter or response refers to it (then whoever may read
 * letters may read it; a document only uploaded, not yet saved with anything, is for staff).
 */
export function documentToServe(sha256: string): { document: StoredDocument; attached: boolean; file: string } | null {
  const document = documentRow(sha256);
  if (!document) return null;
  const file = documentFilePath(sha256);
  if (!fs.existsSync(file)) return null;
  const attached = Boolean(
    getDb().get(sql`SELECT 1 AS found FROM letter_documents WHERE document_sha256 = ${sha256}
      UNION ALL SELECT 1 FROM response_documents WHERE document_sha256 = ${sha256} LIMIT 1`),
  );
  return { document, attached, file };
}
