/**
 * A PDF page's text items (pdf.js `getTextContent`: each a string at a position) as lines, top to
 * bottom and left to right, so that a letter's numbered lists keep one item per line for
 * letter-proposal.ts. Pure: the worker (app/workers/document-worker.ts) hands the items over.
 *
 * Items whose baselines are within half a line's height of each other are one line; inside a
 * line, a gap wider than a fifth of the font size is a space; a gap between lines of more than
 * 1.7 line heights is a blank line (a new paragraph).
 */
export interface PdfTextItem {
  str: string;
  /** Baseline origin in PDF user space (y grows upwards). */
  x: number;
  y: number;
  width: number;
  /** Font size in user space; 0 when pdf.js does not know it. */
  height: number;
  hasEOL?: boolean;
}

const DEFAULT_SIZE = 10;

interface Line {
  y: number;
  size: number;
  items: PdfTextItem[];
}

function lineText(items: PdfTextItem[]): string {
  const sorted = [...items].sort((a, b) => a.x - b.x);
  let text = "";
  let end: number | null = null;
  for (const item of sorted) {
    const size = item.height > 0 ? item.height : DEFAULT_SIZE;
    if (end !== null && text !== "" && !/\s$/u.test(text) && !/^\s/u.test(item.str) && item.x - end > size * 0.2) text += " ";
    text += item.str;
    end = Math.max(end ?? Number.NEGATIVE_INFINITY, item.x + item.width);
  }
  return text.replace(/[ \t\u00a0]+/g, " ").trim();
}

export function pdfLines(items: PdfTextItem[]): string[] {
  const visible = items.filter((item) => item.str.trim() !== "");
  if (visible.length === 0) return [];
  const byHeight = [...visible].sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: Line[] = [];
  for (const item of byHeight) {
    const size = item.height > 0 ? item.height : DEFAULT_SIZE;
    const line = lines.at(-1);
    if (line && Math.abs(line.y - item.y) <= Math.max(1, Math.min(line.size, size) * 0.5)) {
      line.items.push(item);
      line.size = Math.max(line.size, size);
      continue;
    }
    lines.push({ y: item.y, size, items: [item] });
  }
  const out: string[] = [];
  let previous: Line | null = null;
  for (const line of lines) {
    if (previous && previous.y - line.y > 1.7 * Math.max(previous.size, line.size) * 1.15) out.push("");
    out.push(lineText(line.items));
    previous = line;
  }
  return out;
}
