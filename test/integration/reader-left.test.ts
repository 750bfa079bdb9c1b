/**
 * The signal a streamed body listens to for its reader leaving (`readerLeft` in the load context,
 * set by remixRequestOf): it aborts when the connection goes before the answer is sent, and not
 * after the answer was sent. A loader's own `request.signal` is a copy undici follows only weakly,
 * which after a garbage collection never aborts (attack 28): a hung-up export ran to its end.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { remixRequestOf } from "~/utils/remix-handler.server";

let server: http.Server | null = null;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(null));
  server = null;
});

/** A server whose one route makes the Remix request, hands over its readerLeft, and answers when told. */
async function serve(): Promise<{ port: number; signals: Promise<{ signal: AbortSignal; answer: () => void }> }> {
  let handOver: (value: { signal: AbortSignal; answer: () => void }) => void = () => {};
  const signals = new Promise<{ signal: AbortSignal; answer: () => void }>((resolve) => (handOver = resolve));
  const app = express();
  app.get("*", (req, res) => {
    remixRequestOf(req, res);
    handOver({ signal: res.locals.readerLeft as AbortSignal, answer: () => res.end("done") });
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server!.once("listening", resolve));
  return { port: (server!.address() as AddressInfo).port, signals };
}

describe("readerLeft", () => {
  it("aborts when the reader's connection goes before the answer", async () => {
    const { port, signals } = await serve();
    const request = http.get({ host: "127.0.0.1", port, path: "/export/questions.csv" });
    request.on("error", () => {});
    const { signal } = await signals;
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal.aborted).toBe(false);
    request.destroy();
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve())));
    expect(signal.aborted).toBe(true);
  });

  it("does not abort once the answer was sent, when the connection goes later", async () => {
    const { port, signals } = await serve();
    const agent = new http.Agent({ keepAlive: true });
    const response = new Promise<string>((resolve, reject) =>
      http
        .get({ host: "127.0.0.1", port, path: "/", agent }, (res) => {
          let body = "";
          res.on("data", (chunk) => (body += chunk));
          res.on("end", () => resolve(body));
        })
        .on("error", reject),
    );
    const { signal, answer } = await signals;
    answer();
    expect(await response).toBe("done");
    agent.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(signal.aborted).toBe(false);
  });
});
