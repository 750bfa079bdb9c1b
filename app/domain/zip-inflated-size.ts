/**
 * How much a ZIP archive (a .docx) unpacks to, counted by actually inflating it (fflate's streaming
 * Unzip, a slice at a time, nothing kept), and stopped as soon as the count passes the cap: the
 * sizes an archive declares can lie, so a "zip bomb" (a few kilobytes that inflate to gigabytes) is
 * caught by what it really produces, before mammoth unpacks it whole into memory. Pure: bytes in,
 * a verdict out (decision 0017).
 */
import { Unzip, UnzipInflate } from "fflate";

/**
 * What a Word document may unpack to: a 25 MB .docx of text is at most a few hundred kilobytes of
 * XML per page; images are stored compressed already, so they unpack to their own size.
 */
export const MAX_DOCX_INFLATED_BYTES = 100 * 1024 * 1024;

/** The slice pushed at a time: deflate expands at most ~1,032 times, so one push yields at most ~16 MB. */
const SLICE = 16 * 1024;

export type InflatedSize = { ok: true; bytes: number } | { ok: false; reason: "too_large"; limit: number } | { ok: false; reason: "damaged"; detail: string };

/** The archive's unpacked size, or `too_large` as soon as it passes `limit`. */
export function zipInflatedSize(archive: Uint8Array, limit = MAX_DOCX_INFLATED_BYTES): InflatedSize {
  let total = 0;
  let over = false;
  let error: string | null = null;
  const unzip = new Unzip((file) => {
    file.ondata = (err, chunk) => {
      if (err) {
        error ??= err.message;
        return;
      }
      total += chunk.length;
      if (total > limit && !over) {
        over = true;
        file.terminate();
      }
    };
    try {
      file.start();
    } catch (err) {
      // A compression method fflate does not know (mammoth would not read it either).
      error ??= (err as Error).message;
    }
  });
  unzip.register(UnzipInflate);
  try {
    for (let offset = 0; offset < archive.length && !over && error === null; offset += SLICE) {
      const end = Math.min(archive.length, offset + SLICE);
      unzip.push(archive.subarray(offset, end), end === archive.length);
    }
  } catch (err) {
    if (!over) error ??= (err as Error).message;
  }
  if (over) return { ok: false, reason: "too_large", limit };
  if (error !== null) return { ok: false, reason: "damaged", detail: error };
  return { ok: true, bytes: total };
}
