/**
 * A Word document's text from mammoth's document model (paragraphs, runs, tables, breaks), as
 * lines: one paragraph a line, a line break a new line, table cells separated by tabs, and a page
 * break starting a new page. Numbered list paragraphs get their number written out ("1.", then
 * "(a)", then "(i)" for deeper levels; bullets "•"), because Word stores list numbers as
 * formatting, not text, and letter-proposal.ts finds questions by them. mammoth keeps whether a
 * list is ordered and its level, not the number format, so the format by level is a guess that
 * matches how letters usually nest their questions. Pure.
 */
export interface DocxNode {
  type: string;
  children?: DocxNode[];
  value?: string;
  breakType?: "line" | "page" | "column";
  numbering?: { level: number | string; isOrdered: boolean } | null;
}

function toRoman(n: number): string {
  const table: [number, string][] = [[10, "x"], [9, "ix"], [5, "v"], [4, "iv"], [1, "i"]];
  let rest = n;
  let out = "";
  for (const [value, letters] of table) {
    while (rest >= value && n < 40) {
      out += letters;
      rest -= value;
    }
  }
  return n >= 40 ? String(n) : out;
}

function listMarker(level: number, ordinal: number): string {
  if (level % 3 === 0) return `${ordinal}.`;
  if (level % 3 === 1) return ordinal <= 26 ? `(${String.fromCharCode(96 + ordinal)})` : `(${ordinal})`;
  return `(${toRoman(ordinal)})`;
}

/** The document's pages, each its lines joined by "\n". */
export function docxText(document: DocxNode): string[] {
  const pages: string[][] = [[]];
  let current = "";
  /**
   * Each list level's count so far, by mammoth's numbering object: one object per level of a Word
   * list definition, shared by its paragraphs. As in Word, a list keeps counting across the
   * paragraphs between its items, and an item restarts the levels below its own.
   */
  const counts = new Map<object, number>();

  const endLine = () => {
    pages.at(-1)!.push(current.replace(/[ \t]+$/u, ""));
    current = "";
  };

  const inline = (node: DocxNode): void => {
    switch (node.type) {
      case "text":
        current += node.value ?? "";
        return;
      case "tab":
        current += "\t";
        return;
      case "break":
        if (node.breakType === "page") {
          endLine();
          pages.push([]);
        } else endLine();
        return;
      case "checkbox":
        current += "☐ ";
        return;
      case "noteReference":
      case "commentReference":
      case "image":
        return;
      default:
        for (const child of node.children ?? []) inline(child);
    }
  };

  const block = (node: DocxNode): void => {
    if (node.type === "paragraph") {
      if (node.numbering) {
        const numbering = node.numbering;
        const level = Number(numbering.level) || 0;
        for (const key of [...counts.keys()]) {
          if (Number((key as { level?: unknown }).level) > level) counts.delete(key);
        }
        const ordinal = (counts.get(numbering) ?? 0) + 1;
        counts.set(numbering, ordinal);
        current += numbering.isOrdered ? `${listMarker(level, ordinal)} ` : "• ";
      }
      for (const child of node.children ?? []) inline(child);
      endLine();
      return;
    }
    if (node.type === "table") {
      for (const row of node.children ?? []) {
        const cells = (row.children ?? []).map((cell) => {
          const before = current;
          current = "";
          const lines: string[] = [];
          for (const child of cell.children ?? []) {
            const mark = pages.at(-1)!.length;
            block(child);
            lines.push(...pages.at(-1)!.splice(mark));
          }
          current = before;
          return lines.join(" ").trim();
        });
        current += cells.join("\t");
        endLine();
      }
      return;
    }
    if (node.children) {
      for (const child of node.children) block(child);
      return;
    }
    inline(node);
  };

  block(document);
  if (current !== "") endLine();
  return pages.map((lines) => lines.join("\n").replace(/\n{3,}/g, "\n\n").trim());
}
