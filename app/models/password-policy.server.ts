/**
 * What a chosen password must not be: too short, only spaces, trivially repetitive or sequential,
 * or one of the most common passwords (the 49,000-entry list of @zxcvbn-ts/language-common, shipped
 * inside the package: no network). Server-only: the list stays out of the browser bundle.
 */
import { dictionary } from "@zxcvbn-ts/language-common";

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set((dictionary["passwords-common"] as string[]).map((word) => word.toLowerCase()));
  return common;
}

/** Each character one step from the last, the same way ("123456789012" wraps 9 → 0, "abcdefghijkl"). */
function isSequence(password: string): boolean {
  const codes = [...password.toLowerCase()].map((char) => char.codePointAt(0)!);
  const steps = new Set(codes.slice(1).map((code, i) => {
    const step = code - codes[i]!;
    return step === -9 ? 1 : step === 9 ? -1 : step; // digits wrap: 9 → 0 and 0 → 9
  }));
  return steps.size === 1 && [1, -1].includes([...steps][0]!);
}

/**
 * The problem with `password` as a new password, as a phrase after the field's name ("must be at
 * least 12 characters"), or null when it will do.
 */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (password.trim() === "") return "must not be only spaces";
  const compact = password.replace(/\s+/g, "");
  if (compact.length < MIN_PASSWORD_LENGTH / 2) return `must have at least ${MIN_PASSWORD_LENGTH / 2} characters that are not spaces`;
  if (/^(.{1,6}?)\1+$/su.test(compact) || new Set(compact.toLowerCase()).size < 4) {
    return "repeats a few characters over and over; choose something harder to guess";
  }
  if (isSequence(compact)) return "is a simple sequence; choose something harder to guess";
  const lower = password.toLowerCase();
  const stripped = lower.replace(/^[\d\W_]+|[\d\W_]+$/gu, "");
  if (commonPasswords().has(lower) || commonPasswords().has(compact.toLowerCase()) || (stripped.length > 0 && commonPasswords().has(stripped) && stripped.length >= 4)) {
    return "is one of the most common passwords; choose another";
  }
  return null;
}
