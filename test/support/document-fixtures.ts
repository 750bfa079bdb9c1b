/**
 * Documents made in the tests (no binaries are committed): a text PDF printed by Chromium from
 * HTML, a scan (screenshots of a letter embedded as images in a PDF with pdf-lib, no text layer),
 * a Word document (the docx package, with a numbered list and a page break), an encrypted PDF, a
 * corrupt one, a PDF without any text, one with too many pages, and one painting a huge image. Shared by the integration
 * tests and the bench.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import zlib from "node:zlib";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { launchBrowser } from "./browser";

export interface LetterPage {
  /** Lines of the page: paragraphs, and list items written as "1. ..." (kept as typed). */
  lines: string[];
}

/** A letter with numbered questions and a deadline, page `n` of a longer letter. */
export function letterPage(n: number, of: number): LetterPage {
  const first = (n - 1) * 3 + 1;
  return {
    lines: [
      n === 1 ? "Dear Secretary Rubio:" : `Page ${n} of ${of}`,
      `We write regarding the detention agreement with the Government of El Salvador, part ${n}.`,
      "Please answer the following questions:",
      `${first}. How many people were transferred to the detention center in month ${n}?`,
      `${first + 1}. What did the United States pay for their detention in month ${n}?`,
      `${first + 2}. Which officials approved the transfers in month ${n}?`,
      n === of ? "We ask that you respond no later than May 1, 2025." : "The questions continue on the next page.",
      n === of ? "Sincerely, Gregory W. Meeks" : "",
    ].filter(Boolean),
  };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `tracker-${prefix}-`));
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function pageHtml(page: LetterPage): string {
  return page.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join("");
}

const STYLE = "body{font-family:'DejaVu Serif',serif;font-size:18px;margin:56px;background:#fff;color:#000} p{margin:0 0 14px}";

/** A PDF with a text layer, one page per LetterPage, printed by Chromium. */
export async function textPdf(pages: LetterPage[]): Promise<Uint8Array> {
  const context = await launchBrowser();
  try {
    const page = await context.newPage();
    const body = pages.map((p) => `<section style="break-after:page">${pageHtml(p)}</section>`).join("");
    await page.setContent(`<!doctype html><html><head><style>${STYLE}</style></head><body>${body}</body></html>`);
    return new Uint8Array(await page.pdf({ format: "Letter", printBackground: true }));
  } finally {
    await context.close();
  }
}

/**
 * A scan: each page a screenshot of the letter (PNG) drawn on a Letter page, no text layer. The
 * screenshots are 1632 x 2112 pixels, about 192 dpi on the page: a scanner's usual resolution.
 */
export async function scannedPdf(pages: LetterPage[]): Promise<Uint8Array> {
  const context = await launchBrowser({ viewport: { width: 1632, height: 2112 } });
  const images: Uint8Array[] = [];
  try {
    const page = await context.newPage();
    for (const p of pages) {
      await page.setContent(`<!doctype html><html><head><style>${STYLE} html{zoom:2}</style></head><body>${pageHtml(p)}</body></html>`);
      images.push(new Uint8Array(await page.screenshot({ type: "png" })));
    }
  } finally {
    await context.close();
  }
  const pdf = await PDFDocument.create();
  for (const png of images) {
    const image = await pdf.embedPng(png);
    pdf.addPage([612, 792]).drawImage(image, { x: 0, y: 0, width: 612, height: 792 });
  }
  return pdf.save();
}

/** A PDF with `count` pages and nothing on them (or with a line of text each). */
export async function plainPdf(count: number, { withText = false } = {}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < count; i += 1) {
    const page = pdf.addPage([612, 792]);
    if (withText) page.drawText(`This is page ${i + 1} of the document.`, { x: 72, y: 700, size: 12, font });
  }
  return pdf.save();
}

/** A PDF with `count` pages that are each only an image (a tiny grey square): scans to OCR. */
export async function imageOnlyPdf(count: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  // A 1x1 grey PNG.
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==", "base64");
  const image = await pdf.embedPng(png);
  for (let i = 0; i < count; i += 1) pdf.addPage([612, 792]).drawImage(image, { x: 100, y: 100, width: 200, height: 200 });
  return pdf.save();
}

/**
 * A PDF encrypted with the standard security handler and a user password: its owner and user
 * keys are random, so no empty password opens it. Written by hand (pdf-lib cannot encrypt).
 */
export function encryptedPdf(): Uint8Array {
  const hex = (bytes: number) => crypto.randomBytes(bytes).toString("hex");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    `<< /Filter /Standard /V 1 /R 2 /O <${hex(32)}> /U <${hex(32)}> /P -44 >>`,
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, "latin1"));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, "latin1");
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  const id = hex(16);
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${id}> <${id}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, "latin1"));
}

/** Starts like a PDF, then nothing a PDF reader can use. */
export function corruptPdf(): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from("%PDF-1.7\n"), crypto.randomBytes(4096)]));
}

/** A Word document: a letter with a numbered list (Word numbering, not typed numbers) and a page break. */
export async function wordDocument(): Promise<Uint8Array> {
  const { Document, Packer, Paragraph, TextRun, LevelFormat, PageBreak, AlignmentType } = await import("docx");
  const numbered = (text: string, level: number) => new Paragraph({ text, numbering: { reference: "questions", level } });
  const document = new Document({
    numbering: {
      config: [
        {
          reference: "questions",
          levels: [
            { level: 0, format: LevelFormat.DECIMAL, text: "%1.", alignment: AlignmentType.START },
            { level: 1, format: LevelFormat.LOWER_LETTER, text: "(%2)", alignment: AlignmentType.START },
          ],
        },
      ],
    },
    sections: [
      {
        children: [
          new Paragraph({ children: [new TextRun("Dear Secretary Rubio:")] }),
          new Paragraph({ children: [new TextRun("We write regarding the detention agreement with the Government of El Salvador.")] }),
          new Paragraph({ children: [new TextRun("Please answer the following questions:")] }),
          numbered("How many people were transferred to the detention center?", 0),
          numbered("Of those, how many had criminal records in the United States?", 1),
          numbered("What did the United States pay for their detention?", 0),
          new Paragraph({ children: [new TextRun("Our questions continue."), new PageBreak()] }),
          numbered("Which officials approved the transfers?", 0),
          new Paragraph({ children: [new TextRun("We ask that you respond no later than May 1, 2025.")] }),
          new Paragraph({ children: [new TextRun({ text: "Sincerely, ", bold: true }), new TextRun("Gregory W. Meeks")] }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

export function writeFixture(dir: string, name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/**
 * A "zip bomb" Word document: a real .docx layout whose word/document.xml inflates to `inflatedMb`
 * MB (spaces inside a paragraph) from a few hundred kilobytes, written by fflate a megabyte at a
 * time so the test never holds the inflated text. `lie`: the sizes the archive declares say the
 * document is 1 kB, as a hostile file would.
 */
export async function zipBombDocx(inflatedMb: number, { lie = false } = {}): Promise<Uint8Array> {
  const { Zip, ZipDeflate, ZipPassThrough, strToU8 } = await import("fflate");
  const parts: Uint8Array[] = [];
  await new Promise<void>((resolve, reject) => {
    const zip = new Zip((error, chunk, final) => {
      if (error) return reject(error);
      parts.push(chunk);
      if (final) resolve();
    });
    const small = (name: string, text: string) => {
      const file = new ZipPassThrough(name);
      zip.add(file);
      file.push(strToU8(text), true);
    };
    small("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
    small("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>');
    const document = new ZipDeflate("word/document.xml", { level: 9 });
    zip.add(document);
    document.push(strToU8('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t xml:space="preserve">'));
    const megabyte = new Uint8Array(1024 * 1024).fill(0x20);
    for (let i = 0; i < inflatedMb; i += 1) document.push(megabyte);
    document.push(strToU8("</w:t></w:r></w:p></w:body></w:document>"), true);
    zip.end();
  });
  const bytes = new Uint8Array(Buffer.concat(parts));
  if (lie) declareSmallSizes(bytes, 1024);
  return bytes;
}

/** Rewrites every uncompressed size a ZIP declares (local headers and central directory) to `size`. */
function declareSmallSizes(bytes: Uint8Array, size: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i + 30 <= bytes.length; i += 1) {
    const signature = view.getUint32(i, true);
    if (signature === 0x04034b50 && view.getUint32(i + 22, true) > size) view.setUint32(i + 22, size, true);
    if (signature === 0x02014b50 && view.getUint32(i + 24, true) > size) view.setUint32(i + 24, size, true);
  }
}

/**
 * A one-page PDF painting `images` distinct `side` × `side` grey images of deflated zeros: a few
 * hundred kB on disk each, `side`² bytes and more once decoded. Deflated row by row, so the test
 * holds no such buffer itself.
 */
export async function hugeImagePdf(side: number, { images = 1 } = {}): Promise<Buffer> {
  const deflate = zlib.createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on("data", (chunk: Buffer) => parts.push(chunk));
  const done = new Promise((resolve) => deflate.on("end", resolve));
  const row = Buffer.alloc(side);
  for (let y = 0; y < side; y++) if (!deflate.write(row)) await new Promise((resolve) => deflate.once("drain", resolve));
  deflate.end();
  await done;
  const image = Buffer.concat(parts);
  const names = Array.from({ length: images }, (_, i) => `/Im${i} ${5 + i} 0 R`).join(" ");
  const content = Buffer.from(Array.from({ length: images }, (_, i) => `q 612 0 0 792 0 0 cm /Im${i} Do Q`).join("\n"));
  const objects = [
    Buffer.from("<< /Type /Catalog /Pages 2 0 R >>"),
    Buffer.from("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
    Buffer.from(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << ${names} >> >> /Contents 4 0 R >>`),
    Buffer.concat([Buffer.from(`<< /Length ${content.length} >>\nstream\n`), content, Buffer.from("\nendstream")]),
    ...Array.from({ length: images }, () =>
      Buffer.concat([
        Buffer.from(`<< /Type /XObject /Subtype /Image /Width ${side} /Height ${side} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length ${image.length} >>\nstream\n`),
        image,
        Buffer.from("\nendstream"),
      ]),
    ),
  ];
  return pdfOfObjects(objects);
}

/**
 * A one-page PDF with a line of text and a content stream of `spaces` deflated spaces after it: a
 * megabyte or two on disk that inflates to `spaces` bytes (pdf.js inflates it to read the page).
 */
export async function whitespaceStreamPdf(spaces: number, salt: string): Promise<Buffer> {
  const deflater = zlib.createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflater.on("data", (chunk: Buffer) => parts.push(chunk));
  const done = new Promise((resolve) => deflater.on("end", resolve));
  deflater.write(Buffer.from(`BT /F1 12 Tf 72 700 Td (Letter text ${salt}) Tj ET\n`));
  const piece = Buffer.alloc(1024 * 1024, 0x20);
  for (let written = 0; written < spaces; written += piece.length) if (!deflater.write(piece)) await new Promise((resolve) => deflater.once("drain", resolve));
  deflater.end();
  await done;
  const deflated = Buffer.concat(parts);
  return pdfOfObjects([
    Buffer.from("<< /Type /Catalog /Pages 2 0 R >>"),
    Buffer.from("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
    Buffer.from("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"),
    Buffer.concat([Buffer.from(`<< /Filter /FlateDecode /Length ${deflated.length} >>\nstream\n`), deflated, Buffer.from("\nendstream")]),
    Buffer.from("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
  ]);
}

/** A PDF file of these objects (object 1 the catalog), numbered from 1, with its cross-reference table. */
function pdfOfObjects(objects: Buffer[]): Buffer {
  const chunks: Buffer[] = [Buffer.from("%PDF-1.4\n")];
  let length = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(length);
    const piece = Buffer.concat([Buffer.from(`${index + 1} 0 obj\n`), object, Buffer.from("\nendobj\n")]);
    chunks.push(piece);
    length += piece.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`)].join("");
  chunks.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`));
  return Buffer.concat(chunks);
}
