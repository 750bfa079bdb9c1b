import { describe, expect, it } from "vitest";
import { clientKey } from "~/domain/client-key";

describe("clientKey: what per-client limits count a client by", () => {
  it.each([
    ["an IPv4 address as it is", "203.0.113.7", "203.0.113.7"],
    ["loopback", "127.0.0.1", "127.0.0.1"],
    ["two IPv4 addresses of one /24 apart", "203.0.113.8", "203.0.113.8"],
    ["IPv4 at the ends of its range", "255.255.255.255", "255.255.255.255"],
    ["IPv4 with leading zeros, as written (not an address a socket reports)", "010.0.0.1", "010.0.0.1"],
    ["not IPv4: a part over 255", "256.1.1.1", "256.1.1.1"],
    ["a short IPv4 spelling, as written", "127.1", "127.1"],
    ["an IPv4-mapped IPv6 address as its IPv4 address", "::ffff:203.0.113.7", "203.0.113.7"],
    ["an IPv6 address by its /64", "2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"],
    ["another address of the same /64 alike", "2001:db8:1:2::1", "2001:db8:1:2::/64"],
    ["the next /64 apart", "2001:db8:1:3::1", "2001:db8:1:3::/64"],
    ["IPv6 written in full or upper case alike", "2001:0DB8:0001:0002:0000:0000:0000:0009", "2001:db8:1:2::/64"],
    ["IPv6 loopback", "::1", "::/64"],
    ["a link-local address with its zone", "fe80::1%eth0", "fe80::/64"],
    ["IPv4 written with a port (some load balancers), without it", "203.0.113.7:51234", "203.0.113.7"],
    ["IPv6 in brackets, with a port", "[2001:db8:1:2::9]:443", "2001:db8:1:2::/64"],
    ["IPv6 in brackets", "[2001:db8:1:2::9]", "2001:db8:1:2::/64"],
    ["IPv4-mapped in brackets", "[::ffff:203.0.113.7]:80", "203.0.113.7"],
    ["NAT64 (64:ff9b::/96), dotted: its IPv4 client", "64:ff9b::203.0.113.7", "203.0.113.7"],
    ["NAT64 in hex alike", "64:ff9b::cb00:7107", "203.0.113.7"],
    ["two NAT64 clients apart", "64:ff9b::203.0.113.8", "203.0.113.8"],
    ["an IPv6 address ending in a dotted quad, by its /64", "2001:db8:1:2::1.2.3.4", "2001:db8:1:2::/64"],
    ["a dotted tail that is not IPv4, as written", "::1.2.3.400", "::1.2.3.400"],
    ["several hops are not one address: as written", "203.0.113.7, 10.0.0.1", "203.0.113.7, 10.0.0.1"],
    ["no address", undefined, "unknown"],
    ["an empty address", "", "unknown"],
    ["something that is not an address, as it is", "unknown", "unknown"],
  ])("%s", (_, address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});
