/**
 * A Word document's text from mammoth's document model (paragraphs, runs, tables, breaks), as
 * lines: one paragraph a line, a line break a new line, table cells separated by tabs, and a page
 * break starting a new page. Numbered list paragraphs get their number written out, because Word
 * stores list numbers as formatting, not text, and letter-proposal.ts finds questions by them.
 *
 * The numbers are Word's own ("a.", "(i)", "IV.", "1.2", bullets) when the worker passes the
 * markers docx-numbering.ts read from the document's XML (`listed`, one per paragraph of
 * word/document.xml in order): mammoth's paragraphs are paired with them in order by their text.
 * A paragraph that cannot be paired (or a document read without them) falls back to a guess by
 * level ("1.", then "(a)", then "(i)"; bullets "•"), since mammoth keeps whether a list is
 * ordered and its level, not its format. Pure.
 */

/** A paragraph's text as a key for pairing mammoth's paragraphs with the XML's: without any white space. */
export function paragraphKey(text: string): string {
  return text.replace(/\s+/gu, "");
}

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

/** How far ahead of the last paired paragraph a paragraph's text is looked for. */
const PAIRING_LOOKAHEAD = 16;

function textOf(node: DocxNode): string {
  if (node.type === "text") return node.value ?? "";
  if (node.type === "noteReference" || node.type === "commentReference") return "";
  return (node.children ?? []).map(textOf).join("");
}

/** The document's pages, each its lines joined by "\n". `listed`: see the module comment. */
export function docxText(document: DocxNode, listed?: ReadonlyArray<{ key: string; marker: string | null }>): string[] {
  const pages: string[][] = [[]];
  let current = "";
  /**
   * Each list level's count so far, by mammoth's numbering object: one object per level of a Word
   * list definition, shared by its paragraphs. As in Word, a list keeps counting across the
   * paragraphs between its items, and an item restarts the levels below its own.
   */
  const counts = new Map<object, number>();
  let paired = 0;
  let afterListItem = false;
  /** The paragraph's marker from the XML: a string, null for none, undefined when it cannot be paired. */
  const xmlMarker = (node: DocxNode): string | null | undefined => {
    if (!listed) return undefined;
    const key = paragraphKey(textOf(node));
    const until = Math.min(listed.length, paired + PAIRING_LOOKAHEAD);
    for (let index = paired; index < until; index++) {
      if (listed[index]!.key === key) {
        paired = index + 1;
        return listed[index]!.marker;
      }
    }
    return undefined;
  };

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
      const fromXml = xmlMarker(node);
      const listItem = fromXml !== undefined ? fromXml !== null : Boolean(node.numbering);
      // A list ends at the paragraph after its last item: written as a blank line, as the letter
      // parser reads a paragraph of prose between items (each Word paragraph is one line here).
      if (afterListItem && !listItem && current === "" && pages.at(-1)!.at(-1) !== "") pages.at(-1)!.push("");
      afterListItem = listItem;
      if (fromXml !== undefined) {
        if (fromXml !== null) current += `${fromXml} `;
      } else if (node.numbering) {
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
