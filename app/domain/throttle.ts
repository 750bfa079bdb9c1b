/**
 * Sign-in throttling: after too many failed attempts within a window, further attempts wait until
 * the oldest counted failure leaves the window.
 */
export interface ThrottleRule {
  maxFailures: number;
  windowMs: number;
}

export const ACCOUNT_RULE: ThrottleRule = { maxFailures: 5, windowMs: 15 * 60_000 };
export const ADDRESS_RULE: ThrottleRule = { maxFailures: 20, windowMs: 15 * 60_000 };

/** Whole minutes to wait (at least 1), or 0 when another attempt is allowed now. */
export function minutesToWait(failureTimes: number[], now: number, rule: ThrottleRule): number {
  const recent = failureTimes.filter((time) => time > now - rule.windowMs).sort((a, b) => b - a);
  if (recent.length < rule.maxFailures) return 0;
  // Allowed again when the failure that makes the count reach the limit leaves the window.
  const blocking = recent[rule.maxFailures - 1]!;
  return Math.max(1, Math.ceil((blocking + rule.windowMs - now) / 60_000));
}
