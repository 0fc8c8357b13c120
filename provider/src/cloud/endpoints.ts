/**
 * API endpoints as the user sees them: where one came from, whether it is this machine, and what to
 * say when it cannot be reached (pure).
 */
import type { UnreachableCode } from "./errors";

/**
 * Where an API endpoint came from: the environment variable that set it (`env`), or the built-in
 * Tencent Cloud endpoint because that variable is not set (`default`).
 */
export type EndpointOrigin = { kind: "env"; variable: string } | { kind: "default"; variable: string };

/** The host of `host[:port]` (an IPv6 address with or without brackets), lower-cased. */
function hostOf(endpoint: string): string {
  const bracketed = /^\[([^\]]+)\]/.exec(endpoint);
  if (bracketed) return bracketed[1]!.toLowerCase();
  // Two colons or more: a bare IPv6 address, which has no port.
  if ((endpoint.match(/:/g) ?? []).length > 1) return endpoint.toLowerCase();
  return endpoint.replace(/:\d*$/, "").toLowerCase();
}

/** Whether `host[:port]` is this machine (`localhost`, `127.x.x.x`, `::1`): where a local emulator runs. */
export function isLocalEndpoint(endpoint: string): boolean {
  const host = hostOf(endpoint);
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

const WHAT_FAILED: Record<UnreachableCode, string> = {
  ECONNREFUSED: "the connection was refused",
  ENOTFOUND: "its host name does not resolve",
  EAI_AGAIN: "its host name could not be resolved (DNS lookup failed for now)",
};

/**
 * Why a call did not reach the API, and what to check: the endpoint (`protocol` + `endpoint`),
 * where it came from, the system error, and, for an address of this machine, whether the emulator
 * is running. For example: "cannot reach the API endpoint http://127.0.0.1:8080 (set by
 * TENCENTCLOUD_CVM_ENDPOINT): the connection was refused (ECONNREFUSED). It is a local address: is
 * the emulator running? …".
 */
export function unreachableText(p: {
  url: string;
  endpoint: string;
  origin: EndpointOrigin;
  code: UnreachableCode;
}): string {
  const from = p.origin.kind === "env" ? `set by ${p.origin.variable}` : `the default; ${p.origin.variable} is not set`;
  const head = `cannot reach the API endpoint ${p.url} (${from}): ${WHAT_FAILED[p.code]} (${p.code})`;
  if (isLocalEndpoint(p.endpoint)) {
    return (
      `${head}. It is a local address: is the emulator running? Start it (\`cvm-image emulator\`), or set ` +
      `${p.origin.variable} to the address it listens on`
    );
  }
  if (p.origin.kind === "env")
    return `${head}. Check the address in ${p.origin.variable}, and this machine's network and DNS`;
  return (
    `${head}. Check this machine's network, DNS and proxy settings, or set ${p.origin.variable} to an endpoint ` +
    `it can reach`
  );
}
