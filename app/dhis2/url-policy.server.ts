/**
 * The server fetches the DHIS2 URL an analyst types, so without a rule an analyst could make it read internal services
 * (cloud metadata at 169.254.169.254, admin ports on localhost, the intranet): server-side request forgery. A DHIS2 URL
 * whose host resolves to a loopback, private, link-local, carrier-grade NAT, unique-local or unspecified address is
 * refused unless its host is listed in HARMONY_DHIS2_PRIVATE_HOSTS (ministries often run DHIS2 on an internal
 * network: list that host, or `*` for any). Known limits: the check is made when the URL is entered (a DNS answer that
 * changes afterwards is not re-checked), and redirects the DHIS2 server sends are followed (docs/decisions/0013).
 */
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  PRIVATE.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  PRIVATE.addSubnet(net, prefix, "ipv6");

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, "ipv4");
  if (family !== 6) return false;
  // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is the IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? PRIVATE.check(mapped[1], "ipv4") : PRIVATE.check(address, "ipv6");
}

type Resolve = (host: string) => Promise<string[]>;
const resolveAll: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Null when the server may fetch `baseUrl`, else why not (naming the host and the setting that would allow it). */
export async function dhis2UrlProblem(
  baseUrl: string,
  privateHosts: readonly string[],
  resolve: Resolve = resolveAll,
): Promise<string | null> {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase().replace(/^\[|\]$/g, "");
  } catch {
    return `the DHIS2 URL "${baseUrl}" is not a valid URL`;
  }
  if (privateHosts.includes("*") || privateHosts.includes(host)) return null;
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    return `the DHIS2 host "${host}" could not be found (DNS)`;
  }
  const internal = addresses.find(isPrivateAddress);
  if (internal === undefined) return null;
  return (
    `the DHIS2 host "${host}" is on an internal address (${internal}); the server only fetches public addresses ` +
    `unless an admin lists the host in HARMONY_DHIS2_PRIVATE_HOSTS`
  );
}
