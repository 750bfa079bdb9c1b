/**
 * A POST written on a raw connection, as a scripted client sends it: `body` whole (Content-Length),
 * or chunked (Transfer-Encoding: chunked): `head`, then `filler` bytes of `fillWith` in pieces, at
 * the pace the server reads them. Resolves with all the server answered ("" when it closed the
 * connection without an answer), or what it had after 60 s.
 */
import net from "node:net";

export interface RawPost {
  serverUrl: string;
  target: string;
  contentType: string;
  cookie?: string;
  body?: Buffer;
  chunked?: { head?: Buffer; filler: number; fillWith: number; pieceBytes: number };
}

export function rawPost({ serverUrl, target, contentType, cookie, body, chunked }: RawPost): Promise<string> {
  const port = Number(new URL(serverUrl).port);
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let answer = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("error", () => {});
    socket.on("close", () => resolve(answer));
    const timer = setTimeout(() => socket.destroy(), 60_000);
    socket.on("close", () => clearTimeout(timer));
    const headers = [
      `POST ${target} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      `Origin: http://127.0.0.1:${port}`,
      ...(cookie ? [`Cookie: ${cookie}`] : []),
      "Connection: close",
      `Content-Type: ${contentType}`,
      body ? `Content-Length: ${body.length}` : "Transfer-Encoding: chunked",
    ];
    socket.write(`${headers.join("\r\n")}\r\n\r\n`);
    if (body) {
      socket.write(body);
      return;
    }
    const { head, filler, fillWith, pieceBytes } = chunked!;
    const sendChunk = (bytes: Buffer) => {
      socket.write(`${bytes.length.toString(16)}\r\n`);
      socket.write(bytes);
      return socket.write("\r\n");
    };
    if (head?.length) sendChunk(head);
    const piece = Buffer.alloc(pieceBytes, fillWith);
    let sent = 0;
    const pump = () => {
      while (sent < filler && !socket.destroyed) {
        sent += piece.length;
        if (!sendChunk(piece)) {
          socket.once("drain", pump);
          return;
        }
      }
      if (!socket.destroyed) socket.write("0\r\n\r\n");
    };
    pump();
  });
}
