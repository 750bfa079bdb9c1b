/**
 * Text fields (every form's, through forms.ts's `trimmed`/`required`) lose control characters before
 * they are checked and stored: an ESC or NUL pasted into a summary was stored as typed (attack 11c).
 */
import { describe, expect, it } from "vitest";
import { responseFormSchema, withoutControlCharacters } from "~/domain/forms";

describe("withoutControlCharacters", () => {
  it.each([
    ["plain text", "plain text"],
    ["line one\nline two\r\n\ttabbed", "line one\nline two\r\n\ttabbed"],
    ["bell\u0007 and escape\u001b[31m red", "bell and escape[31m red"],
    ["nul\u0000 byte, delete\u007f", "nul byte, delete"],
    ["vertical\u000btab, form\u000cfeed", "verticaltab, formfeed"],
    ["non-Latin: Ñandú, 中文, emoji 🙂, שלום, مرحبا", "non-Latin: Ñandú, 中文, emoji 🙂, שלום, مرحبا"],
    ["C1: next line\u0085, CSI\u009b31m", "C1: next line, CSI31m"],
    ["override: \u202egnp.exe\u202c and isolate \u2067x\u2069", "override: gnp.exe and isolate x"],
    ["marks stay: a\u200fb\u200ec", "marks stay: a\u200fb\u200ec"],
  ])("%j → %j", (input, output) => {
    expect(withoutControlCharacters(input)).toBe(output);
  });
});

describe("a form's text field", () => {
  it("stores no control characters and counts its length without them", () => {
    const parsed = responseFormSchema.safeParse({
      receivedOn: "2025-06-01",
      from: "Office\u001b of\u0000 Legislative Affairs",
      completeness: "partial",
      summary: "\u0007Summary with a bell",
      verdicts: [],
      documents: [],
    });
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data?.from).toBe("Office of Legislative Affairs");
    expect(parsed.data?.summary).toBe("Summary with a bell");
  });

  it("a field of only control characters is empty, so a required one says it is required", () => {
    const response = responseFormSchema.safeParse({ receivedOn: "2025-06-01", from: "\u0001\u0002", completeness: "partial", verdicts: [], documents: [] });
    expect(response.success).toBe(false);
    expect(response.error?.issues.map((issue) => issue.path.join("."))).toContain("from");
  });
});
