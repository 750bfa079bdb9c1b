/**
 * A letter proposed on the server (the read task behind "Propose from text" without JavaScript and
 * behind an uploaded document) has its signers and recipients matched to the roster and the agency
 * directory: the form's fields show the match's picker label, which the staffer can change.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { applyProposal } from "~/domain/letter-proposal";
import { runReadTask } from "~/models/read-tasks.server";
import { seedDemoDataIfEmpty } from "../../db/seed.server";
import { freshDatabase } from "../support/database";

const LETTER = `Congress of the United States
House of Representatives
Committee on the Judiciary

April 17, 2025

The Honorable Kristi Noem
Secretary
U.S. Department of Homeland Security
Washington, DC 20528

Dear Secretary Noem:

We write regarding detention conditions. Please answer the following questions by May 1, 2025:

1. How many people are held?
2. Please provide all guidance issued to facilities.

Sincerely,

Jamie Raskin
Ranking Member
`;

beforeAll(() => {
  const db = freshDatabase();
  seedDemoDataIfEmpty({ db });
});

describe("a proposal's people, matched", () => {
  it("fills the signer with the roster member and the recipient's agency with the directory's", () => {
    const proposal = runReadTask("proposeLetter", { text: LETTER, sentOn: null });
    expect(proposal.matches?.senders[0]?.member).toMatch(/^Jamie Raskin \(D-MD\)$/);
    const { values } = applyProposal({}, proposal);
    const senders = values.senders as Array<{ member: string; role?: string }>;
    expect(senders[0]).toMatchObject({ member: "Jamie Raskin (D-MD)", role: "Ranking Member" });
    const recipients = values.recipients as Array<{ agency?: string; name?: string }>;
    expect(recipients[0]?.agency).toMatch(/Homeland Security/);
    expect(recipients[0]?.name).toBe("Kristi Noem");
  });

  it("keeps the name as read when no one in the roster matches", () => {
    const proposal = runReadTask("proposeLetter", { text: LETTER.replace("Jamie Raskin", "Zebulon Quixote"), sentOn: null });
    const { values } = applyProposal({}, proposal);
    expect((values.senders as Array<{ member: string }>)[0]?.member).toBe("Zebulon Quixote");
  });
});
