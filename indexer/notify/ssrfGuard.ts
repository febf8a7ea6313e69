// The SSRF guard: a webhook URL is chosen by whoever manages endpoints, and the worker runs inside the
// firm's network, so a URL must not reach the machine itself, the private network, the cloud's
// metadata service (169.254.169.254) or other non-public addresses, unless the operator says so
// (WEBHOOKS_ALLOW_PRIVATE=1). A host name is resolved and every address it has is checked, when an
// endpoint is added and again at delivery: `guardedLookup` is the connection's own DNS lookup, so the
// address checked is the address connected to, and DNS rebinding between check and use cannot slip past.
import { type LookupAddress, lookup } from "node:dns";
import { BlockList, isIP } from "node:net";
import { BaseError, RetryableError } from "../../kernel/errors.ts";

/** The URL may not be delivered to: a bad scheme, or a target the guard refuses. The worker marks such a delivery dead at once. */
export class WebhookUrlRefusedError extends BaseError {
  override name = "WebhookUrlRefusedError";
}

/**
 * Address ranges that are not the public internet (IANA special-purpose registries): this host,
 * private networks, carrier-grade NAT, link-local, benchmarking, documentation, multicast, reserved.
 */
const NON_PUBLIC = (() => {
  const list = new BlockList();
  const v4: [string, number][] = [
    ["0.0.0.0", 8], // "this network"
    ["10.0.0.0", 8], // private
    ["100.64.0.0", 10], // carrier-grade NAT
    ["127.0.0.0", 8], // loopback
    ["169.254.0.0", 16], // link-local, cloud metadata
    ["172.16.0.0", 12], // private
    ["192.0.0.0", 24], // IETF protocol assignments
    ["192.0.2.0", 24], // documentation
    ["192.168.0.0", 16], // private
    ["198.18.0.0", 15], // benchmarking
    ["198.51.100.0", 24], // documentation
    ["203.0.113.0", 24], // documentation
    ["224.0.0.0", 4], // multicast
    ["240.0.0.0", 4], // reserved, broadcast
  ];
  for (const [network, prefix] of v4) list.addSubnet(network, prefix, "ipv4");
  const v6: [string, number][] = [
    ["::", 128], // unspecified
    ["::1", 128], // loopback
    ["64:ff9b:1::", 48], // local-use NAT64
    ["100::", 64], // discard
    ["2001:db8::", 32], // documentation
    ["fc00::", 7], // unique-local
    ["fe80::", 10], // link-local
    ["ff00::", 8], // multicast
  ];
  for (const [network, prefix] of v6) list.addSubnet(network, prefix, "ipv6");
  return list;
})();

/** IPv4 written inside IPv6 (::ffff:a.b.c.d, and NAT64's 64:ff9b::a.b.c.d) is judged as the IPv4 it holds. */
const EMBEDDED_V4 = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i;

/**
 * Whether `address` (an IP literal) is outside the public internet.
 *
 * @example
 * isNonPublicAddress("10.1.2.3") // true
 * isNonPublicAddress("93.184.215.14") // false
 */
export function isNonPublicAddress(address: string): boolean {
  const embedded = EMBEDDED_V4.exec(address)?.[1];
  if (embedded) return isNonPublicAddress(embedded);
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 6 && /^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/i.test(address)) {
    // ::ffff:7f00:1 is 127.0.0.1 spelled in hex.
    const [high = 0, low = 0] = address
      .slice(7)
      .split(":")
      .map((part) => Number.parseInt(part, 16));
    return isNonPublicAddress(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  return NON_PUBLIC.check(address, family === 4 ? "ipv4" : "ipv6");
}

export interface GuardOptions {
  /** WEBHOOKS_ALLOW_PRIVATE: the operator lets endpoints reach non-public addresses. */
  allowPrivate: boolean;
}

/** An http(s) URL, parsed; anything else is refused before any lookup. */
export function parseWebhookUrl(url: string): URL {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw new WebhookUrlRefusedError("A webhook URL must be an http(s) URL.", {
      hints: ["Give the full URL the receiver documents, such as https://hooks.slack.com/services/…."],
    });
  }
  return parsed;
}

/**
 * Checks that `url` is an http(s) URL whose host resolves only to public addresses (all of them are
 * checked: one private address among public ones is enough to refuse). The message names the host and
 * the refused address, never the URL's path or query, which often carry the receiver's token.
 *
 * @throws {WebhookUrlRefusedError} when the scheme is not http(s) or a target is not public.
 * @throws {RetryableError} when the host name does not resolve (now).
 * @example
 * await assertPublicWebhookUrl("https://hooks.slack.com/services/T/B/X", { allowPrivate: false });
 */
export async function assertPublicWebhookUrl(url: string, { allowPrivate }: GuardOptions): Promise<void> {
  const parsed = parseWebhookUrl(url);
  if (allowPrivate) return;
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const addresses =
    isIP(host) !== 0
      ? [host]
      : (
          await lookupAll(host).catch((cause: unknown) => {
            // A name that does not resolve now may resolve later (DNS hiccup): retried, not refused.
            throw new RetryableError(`The webhook host ${host} does not resolve.`, { cause });
          })
        ).map((entry) => entry.address);
  for (const address of addresses) assertPublicAddress(host, address);
}

function assertPublicAddress(host: string, address: string): void {
  if (!isNonPublicAddress(address)) return;
  throw new WebhookUrlRefusedError(
    `The webhook host ${host} resolves to ${address}, which is not a public address.`,
    {
      hints: [
        "Webhooks may only reach the public internet, so a URL cannot probe the firm's own network.",
        "An operator who means to deliver inside the network sets WEBHOOKS_ALLOW_PRIVATE=1.",
      ],
    },
  );
}

function lookupAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    lookup(host, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request that resolves like dns.lookup and refuses when any address is not
 * public: the connection then fails with WebhookUrlRefusedError instead of connecting. IP-literal URLs
 * never reach a lookup; `assertPublicWebhookUrl` checks those before the request.
 */
export function guardedLookup({ allowPrivate }: GuardOptions) {
  return (host: string, options: { all?: boolean }, callback: LookupCallback): void => {
    lookup(host, { all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, []);
      try {
        if (!allowPrivate) for (const { address } of addresses) assertPublicAddress(host, address);
      } catch (refused) {
        return callback(refused as NodeJS.ErrnoException, []);
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      if (!first)
        return callback(new Error(`The webhook host ${host} has no address.`) as NodeJS.ErrnoException, []);
      callback(null, first.address, first.family);
    });
  };
}
