/**
 * Plain HTTP requests on a new connection each (no keep-alive pool): with several app processes
 * sharing a port, each connection may land on another process, and the tests need that. Bodies
 * come back as they arrived (no decompression), so tests can see what was compressed.
 */
import http from "node:http";
import net from "node:net";
import zlib from "node:zlib";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as sent (still compressed if it was). */
  raw: Buffer;
  /** The body as text, decompressed when Content-Encoding says gzip. */
  text: string;
  header: (name: string) => string | undefined;
}

export function request(
  url: string,
  {
    method = "GET",
    headers = {},
    body,
    localAddress,
  }: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | URLSearchParams;
    /** Connect from this local address, e.g. 127.0.0.2, to be another client of a loopback server. */
    localAddress?: string;
  } = {},
): Promise<RawResponse> {
  const payload = body === undefined ? undefined : Buffer.from(body.toString());
  const allHeaders: Record<string, string> = { Connection: "close", ...headers };
  if (payload) {
    allHeaders["Content-Length"] = String(payload.length);
    if (body instanceof URLSearchParams) allHeaders["Content-Type"] ??= "application/x-www-form-urlencoded";
  }
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: allHeaders, agent: false, localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const raw = Buffer.concat(chunks);
        const text = (res.headers["content-encoding"] === "gzip" ? zlib.gunzipSync(raw) : raw).toString("utf8");
        const header = (name: string) => {
          const value = res.headers[name.toLowerCase()];
          return Array.isArray(value) ? value.join(", ") : value;
        };
        resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, text, header });
      });
    });
    req.on("error", reject);
    req.end(payload);
  });
}

/** The `name=value` part of a Set-Cookie header for `cookie`, if the response set it. */
export function cookieFrom(response: RawResponse, cookie: string): string | undefined {
  const setCookie = response.headers["set-cookie"] ?? [];
  return setCookie.map((line) => line.split(";")[0]!).find((pair) => pair.startsWith(`${cookie}=`) && pair.length > cookie.length + 1);
}

/**
 * Resolves once `condition()` holds (it may be async, e.g. a probe request), checking every 20 ms;
 * gives up after about a minute with `describe()` (e.g. the server's output) in the error.
 */
export async function until(condition: () => boolean | Promise<boolean>, what: string, describe: () => string = () => ""): Promise<void> {
  for (let i = 0; !(await condition()); i++) {
    if (i > 3000) throw new Error(`gave up waiting for ${what}\n${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * GETs of `paths` pipelined on one new connection (HTTP/1.1, each sent before the one ahead is
 * answered), naming the host `127.0.0.1:<port>` as fetch does; the socket, left open for the test
 * to close.
 */
export async function pipelinedGets(base: string, paths: string[]): Promise<net.Socket> {
  const port = Number(new URL(base).port);
  const socket = net.connect(port, "127.0.0.1");
  socket.on("error", () => {});
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  socket.write(paths.map((path) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`).join(""));
  return socket;
}

/**
 * GETs of `paths` pipelined on one new connection from `localAddress`, all in one write (the server
 * reads them as one packet, so they reach the app together whatever the machine's speed), the last
 * one closing the connection; each answer's status and headers (names in lower case), in order.
 */
export function pipelinedAnswers(
  base: string,
  paths: string[],
  {
    localAddress = "127.0.0.1",
    headers = {},
    headersOf = () => ({}),
  }: { localAddress?: string; headers?: Record<string, string>; /** Headers of the i-th request only. */ headersOf?: (i: number) => Record<string, string> } = {},
): Promise<Array<{ status: number; headers: Record<string, string> }>> {
  const port = Number(new URL(base).port);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port, localAddress });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      // A status line starts each answer (a body sent with Content-Length runs straight into the next).
      const answers = [...text.matchAll(/HTTP\/1\.1 (\d{3}) [^\r\n]*\r\n((?:[^\r\n]+\r\n)*)\r\n/g)].map((match) => ({
        status: Number(match[1]),
        headers: Object.fromEntries(
          match[2]!
            .split("\r\n")
            .filter(Boolean)
            .map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]),
        ),
      }));
      resolve(answers);
    });
    const extra = (i: number) =>
      Object.entries({ Accept: "text/html", ...headers, ...headersOf(i) })
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join("");
    socket.write(
      paths.map((path, i) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${extra(i)}${i === paths.length - 1 ? "Connection: close\r\n" : ""}\r\n`).join(""),
    );
  });
}
