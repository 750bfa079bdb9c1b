/**
 * A letter's card image for link previews (Open Graph / Twitter, 1200 × 630 PNG): satori lays the
 * text out to SVG with a font shipped by npm (@fontsource/source-sans-3: nothing is downloaded) and
 * resvg draws it. Several hundred milliseconds of CPU: it runs in the read pool (read task
 * `letterCard`), never on the event loop, and the page cache keeps the result until the data
 * changes.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
// satori and resvg (about 30 MB a thread) load with the first card, not with every read thread.
type Satori = typeof import("satori").default;
import { formatDate } from "~/domain/dates";
import { BADGE_COLORS, letterHeadline, nameList, type LetterShareFacts } from "~/domain/share";

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;

const require = createRequire(import.meta.url);

type Font = { name: string; data: Buffer; weight: 400 | 700; style: "normal" };
let fonts: Font[] | null = null;

/** Every script the font ships (Latin with its extensions, Vietnamese, Greek, Cyrillic): "Nguyễn", "Łódź". */
const FONT_SUBSETS = ["latin", "latin-ext", "vietnamese", "greek", "greek-ext", "cyrillic", "cyrillic-ext"];

function loadFonts(): Font[] {
  if (!fonts) {
    const directory = path.join(path.dirname(require.resolve("@fontsource/source-sans-3/package.json")), "files");
    fonts = FONT_SUBSETS.flatMap((subset) =>
      ([400, 700] as const).map((weight): Font => ({
        // One family per subset: satori falls back along fontFamily's list, not within one name.
        name: `Source Sans 3 ${subset}`,
        data: fs.readFileSync(path.join(directory, `source-sans-3-${subset}-${weight}-normal.woff`)),
        weight,
        style: "normal",
      })),
    );
  }
  return fonts;
}

/** A satori element (the shape React elements have, without React on the server's thread). */
type Node = { type: string; props: { style?: Record<string, unknown>; children?: Node | string | Array<Node | string> } };
const box = (style: Record<string, unknown>, children: Node["props"]["children"]): Node => ({ type: "div", props: { style: { display: "flex", ...style }, children } });

/** At most `max` characters, cut at a word, with an ellipsis: the card has room for three lines. */
export function clip(text: string, max: number): string {
  const characters = Array.from(text);
  if (characters.length <= max) return text;
  const cut = characters.slice(0, max - 1).join("");
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export async function renderLetterCard(facts: LetterShareFacts, site: string): Promise<Uint8Array> {
  const accent = BADGE_COLORS[facts.status];
  const tree = box(
    { width: CARD_WIDTH, height: CARD_HEIGHT, flexDirection: "column", background: "#ffffff", fontFamily: FONT_SUBSETS.map((subset) => `"Source Sans 3 ${subset}"`).join(", "), color: "#1b1f24" },
    [
      box({ background: "#1d3557", color: "#ffffff", padding: "28px 56px", fontSize: 30, fontWeight: 700 }, "Oversight Letter Tracker"),
      box({ flexDirection: "column", padding: "36px 56px 0", flexGrow: 1 }, [
        box({ color: accent, fontSize: 68, fontWeight: 700, lineHeight: 1.1 }, letterHeadline(facts)),
        box({ marginTop: 24, fontSize: 40, fontWeight: 700, lineHeight: 1.2 }, clip(facts.title, 120)),
        box({ marginTop: 24, fontSize: 30, color: "#5a6470", lineHeight: 1.3, flexDirection: "column" }, [
          box({}, clip(`To ${nameList(facts.agencies) || "—"} · sent ${formatDate(facts.sentOn)}`, 80)),
          box({}, clip(facts.senders.length > 0 ? `From ${nameList(facts.senders)}` : "", 80)),
        ]),
      ]),
      box({ borderTop: `12px solid ${accent}`, padding: "16px 56px", fontSize: 26, color: "#5a6470" }, clip(site.replace(/^https?:\/\//, ""), 70)),
    ],
  );
  const [{ default: satori }, { Resvg }] = await Promise.all([import("satori"), import("@resvg/resvg-js")]);
  const svg = await satori(tree as unknown as Parameters<Satori>[0], { width: CARD_WIDTH, height: CARD_HEIGHT, fonts: loadFonts() });
  return new Uint8Array(new Resvg(svg, { fitTo: { mode: "width", value: CARD_WIDTH } }).render().asPng());
}
