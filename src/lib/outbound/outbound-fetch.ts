import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { errorCauses } from '../error-causes.js';
import { judgeAddress, type AddressPolicy } from './address-policy.js';

/** A connection the policy forbids; the message says which address and why, and holds no secret. */
export class OutboundRefusedError extends Error {
  override name = 'OutboundRefusedError';
}

/** The refusal inside `error`, wherever fetch and the SDKs wrapped it (they keep it as `cause`). */
export function outboundRefusal(error: unknown): OutboundRefusedError | undefined {
  for (const e of errorCauses(error)) if (e instanceof OutboundRefusedError) return e;
  return undefined;
}

export interface OutboundOptions extends AddressPolicy {
  /** Host name → addresses; the system resolver when omitted (tests pass one that rebinds). */
  resolve?: (hostname: string) => Promise<string[]>;
}

/** The shape both SDKs take as their `fetch` option. */
export type OutboundFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** A provider whose name does not resolve by then is down for our purposes; the request fails rather than hangs. */
const RESOLVE_TIMEOUT_MS = 5_000;

async function systemResolve(hostname: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${hostname} did not resolve within ${RESOLVE_TIMEOUT_MS / 1000} s`)), RESOLVE_TIMEOUT_MS);
  });
  try {
    return (await Promise.race([lookup(hostname, { all: true, verbatim: true }), timeout])).map((a) => a.address);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Resolves `hostname` once and returns the addresses to connect to, in the resolver's order, or
 * throws OutboundRefusedError when any of them is refused (a name mixing public and internal
 * addresses is refused).
 */
async function resolveAllowed(hostname: string, options: OutboundOptions): Promise<string[]> {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = isIP(host) ? [host] : await (options.resolve ?? systemResolve)(host);
  if (addresses.length === 0) throw new OutboundRefusedError(`${host} has no address`);
  for (const address of addresses) {
    const verdict = judgeAddress(address, options);
    if (!verdict.allowed) throw new OutboundRefusedError(address === host ? verdict.reason : `${host} resolves to ${verdict.reason}`);
  }
  return addresses;
}

/** The save-time check of a URL a tenant sets: throws OutboundRefusedError with the reason. */
export async function checkOutboundUrl(url: string, options: OutboundOptions): Promise<void> {
  await resolveAllowed(new URL(url).hostname, options);
}

/**
 * `fetch` for URLs a tenant chose. The check runs where the socket is opened: the name is resolved
 * once, judged, and the connection goes to exactly that address, so a name that resolves to a
 * public address for the save-time check and to an internal one later (DNS rebinding) is still
 * refused, and nothing — no key header — is sent. TLS still verifies the certificate against the
 * host name. Redirects are not followed: an API root that redirects is refused with the target;
 * with `returnRedirects` (the website crawler, which judges each hop itself) the 3xx is returned.
 */
export function createOutboundFetch(options: OutboundOptions, behaviour: { returnRedirects?: boolean } = {}): OutboundFetch {
  const connect = buildConnector({});
  // Each judged address in turn until one answers (an IPv6 address first on a host without IPv6).
  const connectFirst = (addresses: string[], connectOptions: buildConnector.Options, callback: buildConnector.Callback): void => {
    const [address, ...rest] = addresses;
    connect({ ...connectOptions, hostname: address! }, (...result) => {
      if (result[0] && rest.length > 0) return connectFirst(rest, connectOptions, callback);
      callback(...result);
    });
  };
  const agent = new Agent({
    connect(connectOptions, callback) {
      resolveAllowed(connectOptions.hostname, options).then(
        (addresses) => connectFirst(addresses, connectOptions, callback),
        (error: Error) => callback(error, null),
      );
    },
  });
  return async (input, init) => {
    const response = await undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher: agent,
      redirect: 'manual',
    });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location && !behaviour.returnRedirects) {
      await response.body?.cancel();
      throw new OutboundRefusedError(`answered with a redirect (${response.status}) to ${location.slice(0, 200)}; redirects are not followed: set the final address as base_url`);
    }
    return response as unknown as Response;
  };
}
