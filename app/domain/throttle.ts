/**
 * Sign-in throttling that slows a guesser without locking the owner out:
 *
 * - per (account, client address) pair: the first PAIR_RULE.freeFailures failures cost nothing;
 *   after that each further attempt from that pair waits, from its latest failure, a delay that
 *   doubles with every failure (1, 2, 4, ... minutes), capped. Failures from one address never slow
 *   the account's owner at another address.
 * - per address, over all accounts: a looser cap in a sliding window, against one address trying
 *   many accounts.
 * - per account, over all addresses: a cap in a sliding window that applies only to addresses that
 *   have not signed in to the account recently, against guesses spread over many addresses. The
 *   owner's usual addresses keep working during such an attack; a new one waits.
 *
 * The caller counts and records an attempt in one synchronous transaction before it checks the
 * password, so parallel attempts cannot all pass the count.
 */
export interface PairRule {
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures older than this are forgotten. */
  windowMs: number;
}

export interface ThrottleRule {
  maxFailures: number;
  windowMs: number;
}

export const PAIR_RULE: PairRule = { freeFailures: 5, baseDelayMs: 60_000, maxDelayMs: 60 * 60_000, windowMs: 24 * 60 * 60_000 };
export const ADDRESS_RULE: ThrottleRule = { maxFailures: 100, windowMs: 15 * 60_000 };
export const ACCOUNT_RULE: ThrottleRule = { maxFailures: 50, windowMs: 60 * 60_000 };
/** How long a successful sign-in makes an address "known" to the account (exempt from ACCOUNT_RULE). */
export const KNOWN_ADDRESS_MS = 30 * 24 * 60 * 60_000;

/** Milliseconds a (account, address) pair must still wait, or 0 when another attempt is allowed now. */
export function pairWaitMs(failureTimes: number[], now: number, rule: PairRule = PAIR_RULE): number {
  const recent = failureTimes.filter((time) => time > now - rule.windowMs && time <= now);
  if (recent.length < rule.freeFailures) return 0;
  const latest = Math.max(...recent);
  const delay = Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** (recent.length - rule.freeFailures));
  return Math.max(0, latest + delay - now);
}

/** Milliseconds an address must still wait under a sliding-window cap, or 0. */
export function windowWaitMs(failureTimes: number[], now: number, rule: ThrottleRule = ADDRESS_RULE): number {
  const recent = failureTimes.filter((time) => time > now - rule.windowMs && time <= now).sort((a, b) => b - a);
  if (recent.length < rule.maxFailures) return 0;
  // Allowed again when the failure that makes the count reach the limit leaves the window.
  const blocking = recent[rule.maxFailures - 1]!;
  return Math.max(0, blocking + rule.windowMs - now);
}

/** Whole minutes to wait (at least 1), or 0 when another attempt is allowed now. */
export function minutesToWait(failureTimes: number[], now: number, rule: ThrottleRule): number {
  return waitMinutes(windowWaitMs(failureTimes, now, rule));
}

/** A wait in whole minutes, rounded up: at least 1 when there is any wait. */
export function waitMinutes(ms: number): number {
  return ms <= 0 ? 0 : Math.max(1, Math.ceil(ms / 60_000));
}

export function waitMessage(prefix: string, ms: number): string {
  const minutes = waitMinutes(ms);
  return `${prefix} Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
