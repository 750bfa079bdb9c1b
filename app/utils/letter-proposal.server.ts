/**
 * "Propose from text" on the letter forms, for both routes (Log a letter, Edit): the proposal runs
 * in the read pool (the read task `proposeLetter`, which also matches the senders and recipients to
 * the roster and the agency directory), then is applied to what the form holds. The same answer
 * serves the button without JavaScript (a post of the whole form) and with it (the form's fetcher
 * posts the same fields: app/components/letter-form.tsx), so the browser never proposes on its own
 * and the preview always shows the server's matches.
 */
import { applyProposal, proposalRequest, type AppliedProposal, type LetterProposal } from "~/domain/letter-proposal";
import type { LetterFormLabels } from "~/models/letter-forms.server";
import { letterFormOptions } from "~/models/letter-forms.server";
import { readInPool } from "./read-pool.server";

type PoolArgs = Parameters<typeof readInPool>[2];

/** The proposal for the form's pasted text, applied to the form's values. */
export async function proposeIntoLetterForm(payload: Record<string, unknown>, pool: PoolArgs): Promise<AppliedProposal & { proposal: LetterProposal }> {
  const proposal = await readInPool("proposeLetter", proposalRequest(payload), pool);
  return { ...applyProposal(payload, proposal, letterFormOptions().committees), proposal };
}

/** The action's answer to the "parse" intent: the form's values with the proposal applied, for a fresh form (`key`). */
export async function proposalReply(payload: Record<string, unknown>, labels: LetterFormLabels, pool: PoolArgs) {
  return { kind: "proposal" as const, ...(await proposeIntoLetterForm(payload, pool)), key: Date.now(), labels };
}

export type ProposalReply = Awaited<ReturnType<typeof proposalReply>>;
