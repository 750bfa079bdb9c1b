/**
 * The mail sender (decision 0016): one process at a time, by the `mail-sender` lease in job_leases
 * (app/models/leases.server.ts), turns new events into messages and sends what is due, a group of
 * messages at a time, through nodemailer: SMTP (pooled) when SMTP_URL is set, else an .eml file per message in
 * MAIL_OUTBOX_PATH (listed for admins at /admin/outbox). Work is done in small batches on a timer,
 * never inside a request; sending is asynchronous I/O.
 *
 * A message's Message-ID is fixed when it is written, and a try is counted before it is made: a
 * process killed between the server's "250 OK" and the record of it sends the same message again
 * (same Message-ID, same content) after the lease and the message's hold run out, never another.
 */
import fs from "node:fs";
import path from "node:path";
import nodemailer from "nodemailer";
import type { SendMailOptions, Transporter, TransportOptions } from "nodemailer";
import { env } from "~/env.server";
import { isPermanentFailure } from "~/domain/follows";
import { today } from "~/domain/dates";
import { getDb } from "../../db/client.server";
import { recordOverdueEvents } from "~/models/letter-events.server";
import { acquireLease, releaseLease } from "~/models/leases.server";
import { reminderNoLongerDue, rewordReminderForSending, writeDueReminders } from "~/models/reminders.server";
import {
  cancelMessage,
  fanOutEvents,
  fanOutPending,
  followMessageNoLongerDue,
  nextDueMessages,
  noteAttempts,
  recordOutcomes,
  newDigestPass,
  writeDueDigestsStep,
  type OutboxMessage,
  type SendOutcome,
} from "~/models/outbox.server";
import { writeGateClosed } from "./write-gate.server";
import { fanOutInWorker } from "./write-worker.server";

export const MAIL_LEASE = "mail-sender";
const LEASE_MS = 120_000;
/** Messages sent per turn before the sender lets the lease and the timer breathe. */
const BATCH = 200;
/**
 * Messages handed to the transport at once: the SMTP pool sends them over SMTP_CONNECTIONS
 * connections, and their tries are noted, then their answers recorded, each in one transaction.
 * A process killed meanwhile sends at most these again (same Message-IDs), after their hold.
 */
const SEND_GROUP = 20;
/** SMTP connections kept open and used at once (nodemailer's pool), and messages per connection. */
const SMTP_CONNECTIONS = 4;
const MESSAGES_PER_CONNECTION = 500;

export interface MailTransport {
  /** Sends one message; resolves with the server's answer (or the file written). */
  send(message: OutboxMessage): Promise<string>;
  close(): void;
}

function mailOptions(message: OutboxMessage): SendMailOptions {
  return {
    from: env.MAIL_FROM,
    to: message.toAddress,
    subject: message.subject,
    text: message.textBody,
    html: message.htmlBody,
    messageId: message.messageId,
    // The date it was written: a message sent again after a crash is the same message.
    date: new Date(message.createdAt),
    headers: { ...message.headers, "Auto-Submitted": "auto-generated" },
  };
}

/**
 * SMTP through nodemailer (SMTP_URL), pooled: a few connections kept open and reused for many
 * messages (a connection, its greeting and EHLO per message made a day's digests crawl). The
 * options go in the transport's own object beside the url: given as createTransport's second
 * argument they were message defaults, and the timeouts never applied.
 */
export function smtpTransport(url: string, options: { timeoutMs?: number; connections?: number } = {}): MailTransport {
  const transporter: Transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: options.connections ?? SMTP_CONNECTIONS,
    maxMessages: MESSAGES_PER_CONNECTION,
    // Closed when unused, before the socket's own timeout would drop it (the next turn reconnects).
    idleTimeout: 30_000,
    connectionTimeout: options.timeoutMs ?? 30_000,
    greetingTimeout: options.timeoutMs ?? 30_000,
    socketTimeout: options.timeoutMs ?? 60_000,
  } as TransportOptions);
  return {
    async send(message) {
      const info = (await transporter.sendMail(mailOptions(message))) as { response?: string };
      return info.response ?? "sent";
    },
    close: () => transporter.close(),
  };
}

/** No SMTP server: each message becomes `<outbox id>.eml` in `directory` (written whole, then renamed). */
export function fileTransport(directory: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    async send(message) {
      const info = (await transporter.sendMail(mailOptions(message))) as { message: Buffer };
      fs.mkdirSync(directory, { recursive: true });
      const file = path.join(directory, `${message.id}.eml`);
      fs.writeFileSync(`${file}.tmp`, info.message);
      fs.renameSync(`${file}.tmp`, file);
      return `written to ${path.basename(file)}`;
    },
    close: () => transporter.close(),
  };
}

export function configuredTransport(): MailTransport {
  return env.SMTP_URL ? smtpTransport(env.SMTP_URL) : fileTransport(env.MAIL_OUTBOX_PATH);
}

/** The .eml file of a message written without SMTP, for admins; null when there is none. */
export function emlFile(id: number): string | null {
  const file = path.join(env.MAIL_OUTBOX_PATH, `${id}.eml`);
  return fs.existsSync(file) ? file : null;
}

function errorText(error: unknown): { text: string; code: number | undefined } {
  const e = error as { response?: string; responseCode?: number; message?: string };
  return { text: e.response ?? e.message ?? String(error), code: e.responseCode };
}

/**
 * One turn of the sender, if this process holds (or takes) the lease: the daily pass for overdue
 * letters, new events to their followers, digests that are due, then up to BATCH due messages.
 * Returns how many messages it tried.
 */
export async function runMailTurn({
  transport,
  now = () => Date.now(),
  batch = BATCH,
  offThread = false,
  leaseRenewMs = LEASE_MS / 4,
  stopping = () => false,
}: {
  transport: MailTransport;
  now?: () => number;
  batch?: number;
  /**
   * True once the process is shutting down: the turn ends after the group it is sending (whose
   * answers it records), instead of sending the rest of its batch while the shutdown waits.
   */
  stopping?: () => boolean;
  /** How often the lease is renewed while a group is with the mail server. */
  leaseRenewMs?: number;
  /** Fan out on a writer thread (the server's loop does; tests may run it here, step by step). */
  offThread?: boolean;
}): Promise<number> {
  if (writeGateClosed()) return 0; // an import is being written: nothing writes now
  if (!acquireLease({ name: MAIL_LEASE, ttlMs: LEASE_MS, now: now() })) return 0;
  const db = getDb();
  db.transaction((tx) => recordOverdueEvents(tx, today(), now()), { behavior: "immediate" });
  // Events to deliveries and alerts, in bounded transactions (decision 0022): on a writer thread
  // when there is anything to do, so that 10,000 followers of one letter never hold the event loop.
  if (fanOutPending()) {
    if (offThread) await fanOutInWorker({ now: now() });
    else while (fanOutEvents({ now: now(), limit: 10 }) > 0) await new Promise((resolve) => setImmediate(resolve));
  }
  // Due digests, a bounded step (one transaction, about a hundred followers) at a time, the loop
  // free between steps (10,000 digests take seconds, not minutes).
  // The lease is renewed as while a group is out (every leaseRenewMs), not at every step: a write
  // per step made an idle turn over 10,000 waiting followers 200 writes.
  const pass = newDigestPass();
  let renewedAt = now();
  for (let after = 0; ; ) {
    const step = writeDueDigestsStep({ now: new Date(now()), after, pass });
    if (step.done) break;
    after = step.cursor;
    await new Promise((resolve) => setImmediate(resolve));
    if (stopping() || writeGateClosed()) return 0;
    if (now() - renewedAt >= leaseRenewMs) {
      if (!acquireLease({ name: MAIL_LEASE, ttlMs: LEASE_MS, now: now() })) return 0;
      renewedAt = now();
    }
  }
  writeDueReminders({ now: new Date(now()) });
  let tried = 0;
  while (tried < batch && !stopping()) {
    const due = nextDueMessages(now(), Math.min(SEND_GROUP, batch - tried));
    if (due.length === 0) break;
    if (!acquireLease({ name: MAIL_LEASE, ttlMs: LEASE_MS, now: now() })) break;
    // Its reason is checked again now: a message may have waited for hours (the mail server was
    // down) while the staffer left, the letter was answered or the follower unsubscribed.
    const sendDay = today(new Date(now()));
    const group: OutboxMessage[] = [];
    for (const message of due) {
      tried += 1;
      const stale = reminderNoLongerDue(message.dedupeKey, sendDay) ?? followMessageNoLongerDue(message);
      if (stale) {
        cancelMessage(message.id, stale);
        continue;
      }
      // A reminder says how far the deadline is from the day it leaves, not the day it was written.
      if (message.kind === "reminder") Object.assign(message, rewordReminderForSending(message, sendDay) ?? {});
      group.push(message);
    }
    if (group.length === 0) continue;
    // Every try counted before it is made (one transaction), then the group sent at once over the
    // pool, then every answer recorded (one transaction).
    const attempts = noteAttempts(
      group.map((message) => message.id),
      now(),
    );
    // The lease is renewed while the group is with the server: a slow one can hold it for minutes
    // (five messages a connection, each up to the socket's timeout), past the lease (120 s) and the
    // messages' own hold (a minute). Without it another process took the lease meanwhile and sent
    // the same messages again while this one was still sending them.
    const renewal = setInterval(() => {
      try {
        acquireLease({ name: MAIL_LEASE, ttlMs: LEASE_MS, now: now() });
      } catch {
        // The database is closing: the lease then expires by itself.
      }
    }, leaseRenewMs);
    let outcomes: SendOutcome[];
    try {
      outcomes = await Promise.all(
        group.map((message) =>
          transport.send(message).then(
            (response): SendOutcome => ({ id: message.id, response }),
            (error: unknown): SendOutcome => {
              const { text, code } = errorText(error);
              return { id: message.id, error: text, attempts: attempts.get(message.id)!, permanent: isPermanentFailure(code) };
            },
          ),
        ),
      );
    } finally {
      clearInterval(renewal);
    }
    recordOutcomes(outcomes, now());
  }
  return tried;
}

// ---------------------------------------------------------------------------------------------
// The loop: one per process, on globalThis (the server and the Remix build are separate bundles).

interface Loop {
  timer: NodeJS.Timeout | null;
  running: Promise<unknown> | null;
  transport: MailTransport | null;
  again: boolean;
  /** stopMailSender was called: the running turn ends after its current group. */
  stopping: boolean;
}

const holder = globalThis as typeof globalThis & { __oversightMail?: Loop };
const loop = (): Loop => (holder.__oversightMail ??= { timer: null, running: null, transport: null, again: false, stopping: false });

/** Runs a turn now (after a follow request, so its confirmation leaves at once). */
export function wakeMailSender(): void {
  const state = loop();
  if (!state.transport || state.stopping) return;
  if (state.running) {
    state.again = true;
    return;
  }
  state.running = runMailTurn({ transport: state.transport, offThread: true, stopping: () => state.stopping })
    // A turn that sent something may have left more due (a day's 10,000 digests are 200 turns):
    // the next turn starts at once, not at the next tick of MAIL_POLL_MS (10 s by default, which
    // made those digests take over half an hour). A turn that sent nothing waits for the timer.
    .then((tried) => {
      if (tried > 0) state.again = true;
    })
    .catch((error) => console.error("Mail sender:", error))
    .finally(() => {
      state.running = null;
      if (state.again) {
        state.again = false;
        setImmediate(wakeMailSender);
      }
    });
}

/** Starts the loop; `transport` replaces the configured one (tests). */
export function startMailSender(transport?: MailTransport): void {
  const state = loop();
  if (!env.MAIL_SENDER || state.timer) return;
  state.stopping = false;
  state.transport = transport ?? configuredTransport();
  state.timer = setInterval(wakeMailSender, env.MAIL_POLL_MS);
  state.timer.unref();
  wakeMailSender();
}

export async function stopMailSender(): Promise<void> {
  const state = loop();
  if (state.timer) clearInterval(state.timer);
  state.timer = null;
  // The running turn finishes the group it has with the mail server (recording every answer), and
  // sends no other: a shutdown waited for the whole turn, up to ten groups and every due digest
  // (minutes with a slow server), and an orchestrator's kill during that wait sent a group again.
  state.stopping = true;
  state.again = false;
  await state.running;
  state.transport?.close();
  state.transport = null;
  try {
    releaseLease({ name: MAIL_LEASE });
  } catch {
    // The database may already be closed: the lease then expires by itself.
  }
}
