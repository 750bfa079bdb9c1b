/**
 * The key that per-client limits count a client by (sign-in throttling, follow requests, the read
 * pool's and the app's per-client shares, exports): its network address, with IPv6 taken by network.
 * An IPv6 host is given a whole /64 (a home, a phone, a cloud machine) and may send each request
 * from another address in it: counted address by address, one client held as many shares as it
 * liked (attack 27, Low). An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a dual-stack socket
 * reports for an IPv4 peer) is that IPv4 address. Anything that is not an address ("unknown") is
 * its own key, as is any other spelling of an IPv4 address.
 */
import ipaddr from "ipaddr.js";

/** Leading bits of an IPv6 address that name one client's network. */
export const IPV6_CLIENT_PREFIX_BITS = 64;

/** A dotted-quad IPv4 address as a socket reports it: its own key, without parsing (most requests). */
const PLAIN_IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** `[v6]`, `[v6]:port`, `v4:port`: how some load balancers write a client in X-Forwarded-For. */
const BRACKETED = /^\[([^\]]+)\](?::\d{1,5})?$/;
const IPV4_WITH_PORT = /^([\d.]+):\d{1,5}$/;
/** An IPv6 address ending in a dotted IPv4 address (`::ffff:1.2.3.4`, `64:ff9b::1.2.3.4`). */
const DOTTED_TAIL = /^(.*:)((?:\d{1,3}\.){3}\d{1,3})$/;

export function clientKey(written: string | undefined): string {
  if (!written) return "unknown";
  if (PLAIN_IPV4.test(written)) return written;
  // What a dual-stack socket reports for every IPv4 peer.
  if (written.startsWith("::ffff:") && PLAIN_IPV4.test(written.slice(7))) return written.slice(7);
  // A port is the connection's, not the client's: kept, every connection was a client of its own.
  const address = BRACKETED.exec(written)?.[1] ?? IPV4_WITH_PORT.exec(written)?.[1] ?? written;
  if (PLAIN_IPV4.test(address)) return address;
  // Other IPv4 spellings ("127.1", "0x7f.0.0.1", leading zeros read as octal) are kept as written:
  // sockets and proxies report the dotted quad, and read as numbers they would name another address.
  const ipv6 = ipv6Of(address);
  if (!ipv6) return address;
  if (ipv6.isIPv4MappedAddress()) return ipv6.toIPv4Address().toString();
  // NAT64 (64:ff9b::/96): an IPv4 client seen through a translator; each its own IPv4 address.
  if (ipv6.range() === "rfc6052") return ipv6.parts.slice(6).flatMap((part) => [part >> 8, part & 0xff]).join(".");
  // The first four 16-bit parts are the /64; the rest (and any zone) name an address within it.
  const networkParts = ipv6.parts.slice(0, IPV6_CLIENT_PREFIX_BITS / 16);
  return `${new ipaddr.IPv6([...networkParts, 0, 0, 0, 0]).toString()}/${IPV6_CLIENT_PREFIX_BITS}`;
}

/** The IPv6 address written, a dotted IPv4 tail read as its two last parts; null if it is none. */
function ipv6Of(address: string): ipaddr.IPv6 | null {
  const dotted = DOTTED_TAIL.exec(address);
  let hex = address;
  if (dotted) {
    if (!PLAIN_IPV4.test(dotted[2] as string)) return null;
    const [a, b, c, d] = (dotted[2] as string).split(".").map(Number) as [number, number, number, number];
    hex = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  return ipaddr.IPv6.isValid(hex) ? ipaddr.IPv6.parse(hex) : null;
}
