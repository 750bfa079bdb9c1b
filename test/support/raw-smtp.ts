/**
 * A minimal SMTP server on a raw socket, for the mail server faults the smtp-server package cannot
 * stage (an answer held back, a connection dropped after the data): it greets, accepts the
 * envelope, and hands the end of each message's data to `onData`, which answers (or does not).
 */
import net from "node:net";
import { freePort } from "./server";

export interface RawSmtp {
  port: number;
  /** Connections opened so far. */
  connections: () => number;
  close: () => Promise<void>;
}

export async function startRawSmtp(name: string, onData: (socket: net.Socket) => void): Promise<RawSmtp> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    let inData = false;
    let buffer = "";
    socket.write(`220 ${name} ESMTP\r\n`);
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          buffer = buffer.slice(end + 5);
          inData = false;
          onData(socket);
          if (socket.destroyed) return;
          continue;
        }
        const lineEnd = buffer.indexOf("\r\n");
        if (lineEnd < 0) return;
        const line = buffer.slice(0, lineEnd);
        buffer = buffer.slice(lineEnd + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") socket.write(`250 ${name}\r\n`);
        else if (verb === "DATA") {
          inData = true;
          socket.write("354 go ahead\r\n");
        } else if (verb === "QUIT") {
          socket.end("221 bye\r\n");
          return;
        } else socket.write("250 OK\r\n");
      }
    });
    socket.on("error", () => {});
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    connections: () => sockets.length,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
