/**
 * The URL Remix is given for a request (app/utils/remix-handler.server.ts, which scripts/serve.ts
 * uses for every page and data request), over real HTTP: raw requests with the Host a client sends,
 * to an Express app as the server sets it up, whose route redirects to an address built from the
 * request's URL. Remix's own Express adapter took the port as what follows the host's first ":", so
 * `Host: [2001:db8::1]:8080` lost its port and `[2001:4860::1]:8080` was sent to port 4860; it also
 * read X-Forwarded-Host's port from any client.
 */
import http from "node:http";
import net from "node:net";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRequestHandler } from "~/utils/remix-handler.server";
import { freePort } from "../support/server";

/** A build of one resource route that redirects to /letters on the request's own origin. */
const build = {
  mode: "production",
  basename: undefined,
  publicPath: "/build/",
  assetsBuildDirectory: "public/build",
  isSpaMode: false,
  future: { v3_singleFetch: true, v3_lazyRouteDiscovery: false },
  assets: { version: "test", url: "/build/manifest.js", entry: { module: "/build/entry.js", imports: [] }, routes: {} },
  entry: { module: { default: () => new Response("no pages here", { status: 500 }) } },
  routes: {
    root: { id: "root", path: "", module: {} },
    "routes/here": {
      id: "routes/here",
      parentId: "root",
      path: "here",
      module: { loader: ({ request }: { request: Request }) => Response.redirect(new URL("/letters", request.url).href, 302) },
    },
  },
} as unknown as ServerBuild;

async function serve(trustProxy: string | false): Promise<{ port: number; server: http.Server }> {
  const app = express();
  app.set("trust proxy", trustProxy);
  app.all("*", createRequestHandler({ build, mode: "production" }));
  const server = http.createServer(app);
  const port = await freePort();
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve({ port, server })));
}

/** The Location answered to a raw GET /here with `headers` (each "Name: value"). */
function locationFor(port: number, headers: string[]): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const head = received.split("\r\n\r\n", 1)[0] ?? "";
      expect(head, head).toMatch(/^HTTP\/1\.1 302 /);
      resolve(/\r\nlocation: ([^\r]*)/i.exec(head)?.[1] ?? null);
    });
    socket.write(`${["GET /here HTTP/1.1", ...headers, "Connection: close"].join("\r\n")}\r\n\r\n`);
  });
}

let direct: { port: number; server: http.Server };
let behindProxy: { port: number; server: http.Server };
beforeAll(async () => {
  direct = await serve(false);
  behindProxy = await serve("loopback");
});
afterAll(async () => {
  await Promise.all([direct, behindProxy].map(({ server }) => new Promise((resolve) => server.close(resolve))));
});

describe("the request's URL from its Host", () => {
  it.each([
    ["[2001:db8::1]:8080", "http://[2001:db8::1]:8080/letters"],
    ["[2001:4860::1]:8080", "http://[2001:4860::1]:8080/letters"],
    ["[2001:0db8::1]:3000", "http://[2001:db8::1]:3000/letters"],
    ["[::1]", "http://[::1]/letters"],
    ["[::1]:80", "http://[::1]/letters"],
    ["tracker.example:3000", "http://tracker.example:3000/letters"],
    ["Tracker.Example", "http://tracker.example/letters"],
  ])("Host %s: a link built from the request is %s", async (host, expected) => {
    expect(await locationFor(direct.port, [`Host: ${host}`])).toBe(expected);
  });

  it("X-Forwarded-Host counts only from a trusted proxy, port and all", async () => {
    const headers = ["Host: 127.0.0.1:3000", "X-Forwarded-Host: [2001:db8::2]:8443, proxy.example"];
    expect(await locationFor(direct.port, headers)).toBe("http://127.0.0.1:3000/letters");
    // Remix's adapter took a forwarded port from any client, with the Host's name: http://127.0.0.1:8443.
    expect(await locationFor(direct.port, ["Host: 127.0.0.1:3000", "X-Forwarded-Host: tracker.example:8443"])).toBe("http://127.0.0.1:3000/letters");
    expect(await locationFor(behindProxy.port, headers)).toBe("http://[2001:db8::2]:8443/letters");
    expect(await locationFor(behindProxy.port, [...headers, "X-Forwarded-Proto: https"])).toBe("https://[2001:db8::2]:8443/letters");
  });
});

describe("requests pipelined on one connection", () => {
  // Each request listened for its connection's close (a pipelined one gets no 'close' of its own):
  // past ten requests pipelined on one connection, Node warned of a listener leak
  // (MaxListenersExceededWarning), once per such connection, in the server's log.
  it("are answered, and leave no warning of a listener leak", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);
    try {
      const received = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(direct.port, "127.0.0.1");
        let text = "";
        socket.setEncoding("latin1");
        socket.on("data", (chunk: string) => (text += chunk));
        socket.on("error", reject);
        socket.on("end", () => resolve(text));
        const requests = Array.from({ length: 12 }, (_, i) => `GET /here HTTP/1.1\r\nHost: 127.0.0.1\r\n${i === 11 ? "Connection: close\r\n" : ""}\r\n`);
        socket.write(requests.join(""));
      });
      expect(received.match(/HTTP\/1\.1 302 /g)).toHaveLength(12);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.startsWith("MaxListenersExceededWarning"))).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });
});
