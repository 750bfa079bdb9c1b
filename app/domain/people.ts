/**
 * Small inferences the exchange format needs: the seed gives a sender's role but not their
 * chamber, and committees as free text.
 */
import type { Chamber, MemberChamber } from "./vocabulary";

/** A member's chamber from their role ("Senator; ...", "Ranking Member, House ..."), else the letter's. */
export function inferMemberChamber(
  role: string | null | undefined,
  letterChamber: Chamber,
): MemberChamber {
  const text = role ?? "";
  if (/\bSenat(e|or)\b/.test(text)) return "Senate";
  if (/\b(House|Representative|Rep\.|Congress(wo)?man|Delegate)\b/.test(text)) return "House";
  return letterChamber === "Senate" ? "Senate" : "House";
}

/** Free-text committee names that mean "no committee". */
export function isNoCommittee(name: string | null | undefined): boolean {
  const text = (name ?? "").trim();
  return text === "" || /^none\b/i.test(text);
}

/** A committee's chamber from its name, else the letter's. */
export function inferCommitteeChamber(name: string, letterChamber: Chamber): Chamber {
  const house = /\bHouse\b/.test(name);
  const senate = /\bSenate\b/.test(name);
  if (house && senate) return "Joint";
  if (senate) return "Senate";
  if (house) return "House";
  return letterChamber;
}

/** "Gregory Meeks (D-NY)" */
export function memberLabel(member: { name: string; party: string; state: string }): string {
  return `${member.name} (${member.party}-${member.state})`;
}

const KNOWN_ACRONYMS: Record<string, string> = {
  "U.S. Department of State": "State",
  "U.S. Department of Homeland Security": "DHS",
  "U.S. Immigration and Customs Enforcement": "ICE",
  "U.S. Department of Justice": "DOJ",
  "U.S. Department of the Treasury": "Treasury",
  "Federal Bureau of Investigation": "FBI",
  "U.S. Secret Service": "USSS",
  "U.S. Department of Defense": "DOD",
};

export function knownAcronym(agencyName: string): string | null {
  return KNOWN_ACRONYMS[agencyName] ?? null;
}
