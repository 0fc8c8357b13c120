/** What both signature methods read off a request, and the checks they make before comparing signatures. */
import type { IncomingHttpHeaders } from "node:http";
import { missingParameter, secretIdNotFound, signatureExpired, timestampMalformed } from "../../errors";

/** The parts of a request that take part in the signature. */
export interface SignedRequest {
  method: string;
  /** The raw query string after `?`, "" when none. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Maps a SecretId to its SecretKey (undefined when unknown). */
export type KeyLookup = (secretId: string) => string | undefined;

/** A header's value, trimmed ("" when absent). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const v = headers[name];
  return (Array.isArray(v) ? v.join(",") : (v ?? "")).trim();
}

/** The `Host` header as sent, and without its port (the forms clients sign). */
export function hostForms(headers: IncomingHttpHeaders): string[] {
  const host = headerValue(headers, "host");
  return [...new Set([host.replace(/:\d+$/, ""), host])];
}

/**
 * In the contract's order: the timestamp (parameter `name`) is given and numeric, the SecretId is
 * known, the timestamp is within `toleranceSec` of now. Returns the SecretKey.
 */
export function checkCredentials(
  name: string,
  ts: string | undefined,
  secretId: string,
  secretKeyFor: KeyLookup,
  nowSec: number,
  toleranceSec: number,
): string {
  if (ts === undefined || ts === "") throw missingParameter(name);
  if (!/^\d{1,12}$/.test(ts)) throw timestampMalformed(name);
  const secretKey = secretKeyFor(secretId);
  if (secretKey === undefined) throw secretIdNotFound();
  if (Math.abs(nowSec - Number(ts)) > toleranceSec) throw signatureExpired(ts, toleranceSec, nowSec);
  return secretKey;
}
