/**
 * The .docx "zip bomb" check (decision 0017) once counted only what fflate's streaming Unzip inflates,
 * walking the local headers in order. mammoth reads the archive through JSZip, which follows the
 * central directory. An archive whose central directory names a word/document.xml whose local
 * header lies inside the stored data of another entry is seen by the check as one small stored
 * file, and by JSZip as a document.xml that inflates to 150 MB (past MAX_DOCX_INFLATED_BYTES).
 */
import { crc32, deflateRawSync } from "node:zlib";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { MAX_DOCX_INFLATED_BYTES, zipInflatedSize } from "~/domain/zip-inflated-size";

function localHeader(name: string, method: number, crc: number, compressed: number, size: number): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(0, 6);
  header.writeUInt16LE(method, 8);
  header.writeUInt32LE(crc >>> 0, 14);
  header.writeUInt32LE(compressed, 18);
  header.writeUInt32LE(size, 22);
  header.writeUInt16LE(Buffer.byteLength(name), 26);
  return Buffer.concat([header, Buffer.from(name)]);
}

function centralHeader(name: string, method: number, crc: number, compressed: number, size: number, offset: number): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(20, 6);
  header.writeUInt16LE(method, 10);
  header.writeUInt32LE(crc >>> 0, 16);
  header.writeUInt32LE(compressed, 20);
  header.writeUInt32LE(size, 24);
  header.writeUInt16LE(Buffer.byteLength(name), 28);
  header.writeUInt32LE(offset, 42);
  return Buffer.concat([header, Buffer.from(name)]);
}

function nestedBomb(inflatedBytes: number): Buffer {
  const xml = Buffer.alloc(inflatedBytes, 0x20);
  const deflated = deflateRawSync(xml, { level: 9 });
  const xmlCrc = crc32(xml);
  const inner = Buffer.concat([localHeader("word/document.xml", 8, xmlCrc, deflated.length, xml.length), deflated]);
  const outerHeader = localHeader("pad.bin", 0, crc32(inner), inner.length, inner.length);
  const body = Buffer.concat([outerHeader, inner]);
  const directory = Buffer.concat([
    centralHeader("pad.bin", 0, crc32(inner), inner.length, inner.length, 0),
    centralHeader("word/document.xml", 8, xmlCrc, deflated.length, xml.length, outerHeader.length),
  ]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(2, 8);
  end.writeUInt16LE(2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(body.length, 16);
  return Buffer.concat([body, directory, end]);
}

describe("a .docx whose real document hides inside another entry", () => {
  it("is refused by the inflated-size check, which also reads the central directory as JSZip (mammoth's reader) does", async () => {
    const archive = nestedBomb(MAX_DOCX_INFLATED_BYTES + 50 * 1024 * 1024);
    expect(archive.length).toBeLessThan(1024 * 1024);
    // What mammoth's JSZip sees: word/document.xml, 150 MB once inflated.
    const zip = await JSZip.loadAsync(archive);
    expect(Object.keys(zip.files)).toContain("word/document.xml");
    expect((await zip.file("word/document.xml")!.async("nodebuffer")).length).toBeGreaterThan(MAX_DOCX_INFLATED_BYTES);
    // What the check says:
    const verdict = zipInflatedSize(new Uint8Array(archive));
    expect(verdict, `the check counted ${"bytes" in verdict ? verdict.bytes : "?"} bytes`).not.toMatchObject({ ok: true });
  }, 120_000);
});
