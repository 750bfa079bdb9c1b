/**
 * A request the HTTP server cannot read, pipelined behind good ones on a connection
 * (app/utils/unreadable-request.server.ts): the good ones are answered first, whole, then the
 * message. Before, the 400 was written at once: the client read it as the answer to its first
 * request, whose page never came; a response already under way was cut off (connection destroyed).
 */
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { answerUnreadableRequest } from "~/utils/unreadable-request.server";
import { until } from "../support/http-client";

const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A server whose /slow answers wait to be let go; /half sends its head and first half at once. */
async function slowServer() {
  const waiting: Array<() => void> = [];
  let arrived = 0;
  const server = http.createServer((req, res) => {
    arrived += 1;
    if (req.url === "/half") {
      res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": "10" });
      res.write("first");
      waiting.push(() => res.end("-last"));
      return;
    }
    waiting.push(() => {
      res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": "9" });
      res.end("slow page");
    });
  });
  server.on("clientError", answerUnreadableRequest);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, arrived: () => arrived, waiting: () => waiting.length, release: () => waiting.shift()!() };
}

/** Sends `text` on a new connection; what comes back until the server closes it. */
function exchange(port: number, text: string): { received: () => string; closed: Promise<string> } {
  const socket = net.connect(port, "127.0.0.1");
  let received = "";
  socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
  const closed = new Promise<string>((resolve) => socket.on("close", () => resolve(received)));
  socket.on("error", () => {});
  socket.write(text);
  return { received: () => received, closed };
}

const BAD = "GET /x HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n";

describe("an unreadable request pipelined behind a good one", () => {
  it("is answered after the good one's page, not in its place", async () => {
    const server = await slowServer();
    const client = exchange(server.port, `GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n${BAD}`);
    await until(() => server.waiting() === 1, "the good request is being answered");
    server.release();
    const received = await client.closed;
    expect(received.match(/HTTP\/1\.1 \d{3}/g)).toEqual(["HTTP/1.1 200", "HTTP/1.1 400"]);
    expect(received).toMatch(/\r\n\r\nslow page/);
    expect(received).toMatch(/could not be read as HTTP/);
  });

  it("behind a response already under way: that response ends whole, then the message", async () => {
    const server = await slowServer();
    const client = exchange(server.port, `GET /half HTTP/1.1\r\nHost: localhost\r\n\r\n${BAD}`);
    await until(() => client.received().includes("first"), "the first half arrived");
    server.release();
    const received = await client.closed;
    expect(received.match(/HTTP\/1\.1 \d{3}/g)).toEqual(["HTTP/1.1 200", "HTTP/1.1 400"]);
    expect(received).toMatch(/\r\n\r\nfirst-last/);
  });

  it("alone on its connection, it is answered at once", async () => {
    const server = await slowServer();
    const received = await exchange(server.port, BAD).closed;
    expect(received).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(server.arrived()).toBe(0);
  });
});
