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

export function clientKey(address: string | undefined): string {
  if (!address) return "unknown";
  if (PLAIN_IPV4.test(address)) return address;
  // What a dual-stack socket reports for every IPv4 peer.
  if (address.startsWith("::ffff:") && PLAIN_IPV4.test(address.slice(7))) return address.slice(7);
  // Other IPv4 spellings ("127.1", "0x7f.0.0.1", leading zeros read as octal) are kept as written:
  // sockets and proxies report the dotted quad, and read as numbers they would name another address.
  if (!ipaddr.IPv6.isValid(address)) return address;
  const ipv6 = ipaddr.IPv6.parse(address);
  if (ipv6.isIPv4MappedAddress()) return ipv6.toIPv4Address().toString();
  // The first four 16-bit parts are the /64; the rest (and any zone) name an address within it.
  const networkParts = ipv6.parts.slice(0, IPV6_CLIENT_PREFIX_BITS / 16);
  return `${new ipaddr.IPv6([...networkParts, 0, 0, 0, 0]).toString()}/${IPV6_CLIENT_PREFIX_BITS}`;
}
