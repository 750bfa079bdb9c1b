/**
 * The usual mail setup of an integration test file (follow-mail, staff-reminders-mail, ...): a real
 * SMTP server (test/support/smtp.ts) and the app's SMTP transport to it. Apart from smtp.ts, which
 * browser tests use too, because it imports the app's mail sender.
 */
import { afterAll, beforeAll, beforeEach } from "vitest";
import { closeDb } from "../../db/client.server";
import { smtpTransport, type MailTransport } from "~/utils/mail-sender.server";
import { startSmtpServer, type TestSmtpServer } from "./smtp";

/**
 * A test file's mail setup: one SMTP server and an SMTP transport to it for the file's tests
 * (generous timeouts: the machine may be loaded), its received list emptied before each test, and
 * everything closed after (the database too). Read `smtp` and `transport` inside tests.
 */
export function useSmtpServer(): { readonly smtp: TestSmtpServer; readonly transport: MailTransport } {
  let smtp: TestSmtpServer | null = null;
  let transport: MailTransport | null = null;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    transport = smtpTransport(smtp.url, { timeoutMs: 120_000 });
  }, 120_000);
  afterAll(async () => {
    transport?.close();
    await smtp?.close();
    closeDb();
  });
  beforeEach(() => {
    if (smtp) smtp.received.length = 0;
  });
  return {
    get smtp() {
      if (!smtp) throw new Error("useSmtpServer: the server starts in beforeAll; read it inside a test");
      return smtp;
    },
    get transport() {
      if (!transport) throw new Error("useSmtpServer: the transport is made in beforeAll; read it inside a test");
      return transport;
    },
  };
}
