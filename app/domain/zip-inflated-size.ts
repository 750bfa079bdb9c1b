/**
 * How much a ZIP archive (a .docx) unpacks to, counted by actually inflating it (fflate's streaming
 * Unzip, a slice at a time, nothing kept), and stopped as soon as the count passes the cap: the
 * sizes an archive declares can lie, so a "zip bomb" (a few kilobytes that inflate to gigabytes) is
 * caught by what it really produces, before mammoth unpacks it whole into memory. Pure: bytes in,
 * a verdict out (decision 0017).
 */
import { Inflate, Unzip, UnzipInflate } from "fflate";

/**
 * What a Word document may unpack to: a 25 MB .docx of text is at most a few hundred kilobytes of
 * XML per page; images are stored compressed already, so they unpack to their own size.
 */
export const MAX_DOCX_INFLATED_BYTES = 100 * 1024 * 1024;

/** The slice pushed at a time: deflate expands at most ~1,032 times, so one push yields at most ~16 MB. */
const SLICE = 16 * 1024;

export type InflatedSize = { ok: true; bytes: number } | { ok: false; reason: "too_large"; limit: number } | { ok: false; reason: "damaged"; detail: string };

/**
 * The archive's unpacked size, or `too_large` as soon as it passes `limit`, counted both ways an
 * archive can be read: its local headers in order (fflate's Unzip) and its central directory
 * (JSZip, mammoth's reader). An entry hidden inside another's data is seen by only one of them.
 */
export function zipInflatedSize(archive: Uint8Array, limit = MAX_DOCX_INFLATED_BYTES): InflatedSize {
  const local = localHeadersInflatedSize(archive, limit);
  if (!local.ok) return local;
  const central = centralDirectoryInflatedSize(archive, limit);
  if (!central.ok) return central;
  return { ok: true, bytes: Math.max(local.bytes, central.bytes) };
}

const readUint16 = (bytes: Uint8Array, at: number) => bytes[at]! | (bytes[at + 1]! << 8);
const readUint32 = (bytes: Uint8Array, at: number) => (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;

/** What the entries the central directory lists inflate to, each read from its own local header. */
export function centralDirectoryInflatedSize(archive: Uint8Array, limit = MAX_DOCX_INFLATED_BYTES): InflatedSize {
  const damaged = (detail: string): InflatedSize => ({ ok: false, reason: "damaged", detail });
  // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535.
  let end = -1;
  for (let at = archive.length - 22; at >= Math.max(0, archive.length - 22 - 65_535); at--) {
    if (readUint32(archive, at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) return damaged("no central directory");
  const entries = readUint16(archive, end + 10);
  let at = readUint32(archive, end + 16);
  let total = 0;
  for (let index = 0; index < entries; index++) {
    if (at + 46 > archive.length || readUint32(archive, at) !== 0x02014b50) return damaged("central directory entry out of place");
    const method = readUint16(archive, at + 10);
    const compressed = readUint32(archive, at + 20);
    const localAt = readUint32(archive, at + 42);
    at += 46 + readUint16(archive, at + 28) + readUint16(archive, at + 30) + readUint16(archive, at + 32);
    // ZIP64 sizes (0xFFFFFFFF): no Word document needs them.
    if (compressed === 0xffffffff || localAt === 0xffffffff) return damaged("ZIP64 entries");
    if (localAt + 30 > archive.length || readUint32(archive, localAt) !== 0x04034b50) return damaged("local header out of place");
    const dataAt = localAt + 30 + readUint16(archive, localAt + 26) + readUint16(archive, localAt + 28);
    const data = archive.subarray(dataAt, Math.min(archive.length, dataAt + compressed));
    if (method === 0) {
      total += data.length;
    } else if (method === 8) {
      let over = false;
      const inflate = new Inflate((chunk) => {
        total += chunk.length;
        if (total > limit) over = true;
      });
      try {
        for (let offset = 0; offset < data.length && !over; offset += SLICE) {
          const sliceEnd = Math.min(data.length, offset + SLICE);
          inflate.push(data.subarray(offset, sliceEnd), sliceEnd === data.length);
        }
      } catch (error) {
        if (!over) return damaged((error as Error).message);
      }
    } else {
      return damaged(`compression method ${method}`);
    }
    if (total > limit) return { ok: false, reason: "too_large", limit };
  }
  return { ok: true, bytes: total };
}

function localHeadersInflatedSize(archive: Uint8Array, limit: number): InflatedSize {
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
