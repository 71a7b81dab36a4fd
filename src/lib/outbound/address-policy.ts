import ipaddr from 'ipaddr.js';

/**
 * Which addresses a tenant-set URL (a provider's `base_url`) may reach. Public unicast always;
 * loopback and private networks only when the operator allows them (a self-hosted install
 * talking to a local Ollama); everything else never: link-local (cloud metadata lives at
 * 169.254.169.254), multicast, reserved and documentation ranges, tunnels.
 */
export interface AddressPolicy {
  allowPrivateNetworks: boolean;
}

export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

/** Metadata services outside the link-local range: Alibaba, Azure's WireServer, AWS over IPv6. */
const METADATA_ADDRESSES = new Set(['100.100.100.200', '168.63.129.16', 'fd00:ec2::254']);

const PRIVATE_RANGES = new Set(['loopback', 'private', 'carrierGradeNat', 'uniqueLocal', 'deprecatedSiteLocal']);

const RANGE_NAMES: Record<string, string> = {
  linkLocal: 'a link-local address (where cloud metadata services live)',
  unspecified: 'the unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  teredo: 'a Teredo tunnel address',
  loopback: 'a loopback address',
  private: 'a private network address',
  carrierGradeNat: 'a carrier-grade NAT address',
  uniqueLocal: 'a private network address',
  deprecatedSiteLocal: 'a site-local address',
};

/**
 * The verdict on one IP address (v4 or v6, as a resolver returns it). IPv4 addresses wrapped in
 * IPv6 (mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged as the IPv4
 * address they reach. Anything that does not parse is refused.
 * @example judgeAddress('169.254.169.254', { allowPrivateNetworks: true }) // { allowed: false, reason: '169.254.169.254 is a link-local address …' }
 */
export function judgeAddress(address: string, policy: AddressPolicy): AddressVerdict {
  if (!ipaddr.isValid(address)) return { allowed: false, reason: `${address} is not an IP address` };
  const parsed = unwrapIPv4(ipaddr.parse(address));
  const shown = parsed.toString();
  if (METADATA_ADDRESSES.has(shown)) return { allowed: false, reason: `${shown} is a cloud metadata address` };
  const range = parsed.range();
  if (range === 'unicast') return { allowed: true };
  const what = RANGE_NAMES[range] ?? `reserved for special use (${range})`;
  if (PRIVATE_RANGES.has(range)) {
    return policy.allowPrivateNetworks
      ? { allowed: true }
      : { allowed: false, reason: `${shown} is ${what}, which this server is not set up to reach (OUTBOUND_ALLOW_PRIVATE_NETWORKS)` };
  }
  return { allowed: false, reason: `${shown} is ${what}` };
}

function unwrapIPv4(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  if (address.kind() === 'ipv4') return address;
  const v6 = address as ipaddr.IPv6;
  const range = v6.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145' || range === 'rfc6052') return ipv4FromBytes(v6.toByteArray().slice(12));
  if (range === '6to4') return ipv4FromBytes(v6.toByteArray().slice(2, 6));
  return v6;
}

const ipv4FromBytes = (bytes: number[]) => new ipaddr.IPv4(bytes);
