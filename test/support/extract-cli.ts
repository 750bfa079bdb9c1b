/**
 * `node --import tsx test/support/extract-cli.ts FILE`: prints extractDocument(FILE) as JSON. Run
 * by the tests in a process without network (unshare -n) to show that nothing is downloaded.
 */
import { closeDocumentExtraction, extractDocument } from "~/utils/document-extract.server";

const file = process.argv[2];
if (!file) throw new Error("usage: extract-cli.ts FILE");
const document = await extractDocument(file);
process.stdout.write(JSON.stringify(document));
await closeDocumentExtraction();
