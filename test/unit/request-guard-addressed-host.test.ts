/**
 * addressedHost (app/domain/request-guard.ts): the host a request was addressed as, the one rule
 * the origin checks and the request's URL share. Each row is what a request carries after
 * scripts/serve.ts's handling (X-Forwarded-Host only a trusted proxy's; an absolute-form target's
 * authority in Host), and the host it names, checked against Express's req.hostname (which leaves
 * the port out) under `trust proxy`.
 */
import express from "express";
import { describe, expect, it } from "vitest";
import { addressedHost, requestTargetOf } from "~/domain/request-guard";

type Row = [label: string, host: string | undefined, forwardedHost: string | string[] | undefined, addressed: string | null];

const rows: Row[] = [
  ["Host only", "tracker.example", undefined, "tracker.example"],
  ["Host in mixed case", "Tracker.Example", undefined, "tracker.example"],
  ["Host with a port", "tracker.example:3000", undefined, "tracker.example:3000"],
  ["Host with a port, mixed case", "LocalHost:3000", undefined, "localhost:3000"],
  ["IPv6 literal with a port", "[::1]:3000", undefined, "[::1]:3000"],
  ["IPv6 literal in capitals, no port", "[2001:DB8::1]", undefined, "[2001:db8::1]"],
  ["the port as sent, a default one too", "tracker.example:80", undefined, "tracker.example:80"],
  ["a trusted X-Forwarded-Host wins over Host", "127.0.0.1:3000", "tracker.example", "tracker.example"],
  ["trusted X-Forwarded-Host: a comma list's first entry, port and case", "127.0.0.1:3000", "Tracker.Example:8443, proxy.example", "tracker.example:8443"],
  ["trusted X-Forwarded-Host: a first entry with spaces before its comma", "127.0.0.1:3000", "tracker.example ,proxy.example", "tracker.example"],
  ["trusted X-Forwarded-Host: an IPv6 first entry", "127.0.0.1:3000", "[2001:db8::2]:8443, proxy.example", "[2001:db8::2]:8443"],
  ["trusted X-Forwarded-Host sent twice: the first", "127.0.0.1:3000", ["tracker.example", "proxy.example"], "tracker.example"],
  ["an empty X-Forwarded-Host is none: Host", "tracker.example", "", "tracker.example"],
  ["an X-Forwarded-Host of spaces is none: Host", "tracker.example", "  ", "tracker.example"],
  ["an empty first entry names no host (not Host)", "127.0.0.1:3000", ", proxy.example", null],
  ["absent Host", undefined, undefined, null],
  ["empty Host (HTTP/1.0)", "", undefined, null],
  ["absent Host, a trusted X-Forwarded-Host", undefined, "tracker.example", "tracker.example"],
  ["absent Host, an empty X-Forwarded-Host", undefined, "", null],
];

/** Express's req.hostname for these headers from a trusted proxy (the host without its port). */
function expressHostname(host: string | undefined, forwardedHost: string | string[] | undefined): string | undefined {
  const app = express();
  app.set("trust proxy", true);
  // As Node hands them on: each value trimmed, a repeated X-Forwarded-Host joined with ", ".
  const headers: Record<string, string> = {};
  if (host !== undefined) headers.host = host.trim();
  if (forwardedHost !== undefined) headers["x-forwarded-host"] = (Array.isArray(forwardedHost) ? forwardedHost.join(", ") : forwardedHost).trim();
  const req = Object.create(app.request, {
    headers: { value: headers },
    connection: { value: { remoteAddress: "127.0.0.1" } },
    socket: { value: { remoteAddress: "127.0.0.1" } },
  }) as express.Request;
  return req.hostname;
}

describe("addressedHost", () => {
  it.each(rows)("%s: Host %j, X-Forwarded-Host %j -> %j", (_label, host, forwardedHost, addressed) => {
    expect(addressedHost({ host, forwardedHost })).toBe(addressed);
  });

  it.each(rows)("%s: the name Express's req.hostname gives under trust proxy", (_label, host, forwardedHost, addressed) => {
    // The port after the last ":", unless that ":" is inside an IPv6 literal's brackets.
    const name = addressed === null ? undefined : addressed.replace(/:\d*$/, "");
    expect(expressHostname(host, forwardedHost)?.toLowerCase()).toBe(name);
  });

  it("null and undefined are both none", () => {
    expect(addressedHost({ host: null, forwardedHost: null })).toBeNull();
    expect(addressedHost({ host: "tracker.example", forwardedHost: null })).toBe("tracker.example");
    expect(addressedHost({ host: "tracker.example" })).toBe("tracker.example");
  });

  it("sees an absolute-form request line's authority, which scripts/serve.ts puts in Host (RFC 9112 3.2.2)", () => {
    // `POST http://Evil.Test:8080/login HTTP/1.1` with `Host: tracker.example`: the Host is ignored.
    const target = requestTargetOf("http://Evil.Test:8080/login", "POST");
    expect("status" in target).toBe(false);
    const host = "status" in target ? undefined : (target.host ?? undefined);
    expect(addressedHost({ host })).toBe("evil.test:8080");
    // A trusted proxy's X-Forwarded-Host still wins over it, as over any Host.
    expect(addressedHost({ host, forwardedHost: "tracker.example" })).toBe("tracker.example");
  });
});
