/**
 * A request Node's HTTP server cannot read (an address and headers over 16 KB, a malformed header,
 * one not received in time): answered as Node would, with a message saying what was wrong
 * (app/domain/request-guard.ts `unreadableRequestAnswer`), then the connection closes. By default
 * the status went alone, and a browser showed an empty error page.
 *
 * Responses to requests read before it on the same connection (HTTP/1.1 pipelining) go out first,
 * whole: the answer follows the last of them. Written at once, it went out as the answer to the
 * first of them (a client pipelining a good GET and a bad request read "400" for the GET), or, with
 * a response already under way, the connection was destroyed in the middle of it.
 */
import type { ServerResponse } from "node:http";
import type net from "node:net";
import { unreadableRequestAnswer } from "~/domain/request-guard";

type HttpSocket = net.Socket & { _httpMessage?: (ServerResponse & { req?: { complete?: boolean } }) | null };

/** Sockets whose answer is written or waiting: Node reports the same unreadable bytes again as more arrive. */
const answering = new WeakSet<net.Socket>();

/** A client still sending once its answer is out gets no longer than this. */
const CLOSE_AFTER_ANSWER_MS = 10_000;

export function answerUnreadableRequest(error: NodeJS.ErrnoException, socket: net.Socket): void {
  if (answering.has(socket)) return;
  const answer = unreadableRequestAnswer(error.code);
  if (!answer) return void socket.destroy();
  answering.add(socket);
  const body = `${answer.message}\n`;
  const text =
    `HTTP/1.1 ${answer.status} ${answer.reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
    `Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`;
  const afterInFlight = () => {
    const inFlight = (socket as HttpSocket)._httpMessage;
    // A response to a request read whole before the unreadable one: its answer goes first, then
    // those queued behind it, one after another.
    if (inFlight && inFlight.req?.complete === true && !inFlight.writableFinished) {
      inFlight.once("finish", () => setImmediate(afterInFlight));
      return;
    }
    // The unreadable request is the one in flight (its body, or its time, was what failed): answered
    // now, unless its own response is already under way (no second status line in the middle of it).
    if (!socket.writable || (inFlight && !inFlight.writableFinished && inFlight.headersSent)) return void socket.destroy();
    socket.end(text);
    socket.setTimeout(CLOSE_AFTER_ANSWER_MS, () => socket.destroy());
  };
  afterInFlight();
}
