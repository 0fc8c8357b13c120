/**
 * TC3-HMAC-SHA256 verification (contract §2), with the Node SDK quirks of §2.1: service and date
 * come from the credential scope, and the host is signed without its port (the port-bearing
 * form is accepted too, as other SDKs sign it).
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import {
  authorizationMalformed,
  scopeDateMismatch,
  signatureMismatch,
  signedHeadersIncomplete,
  unsigned,
} from "../../errors";
import { checkCredentials, headerValue, hostForms, KeyLookup, SignedRequest } from "./request";

/** A parsed `Authorization` header. */
export interface Tc3Authorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTH_RE = new RegExp(
  String.raw`^TC3-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{4}-\d{2}-\d{2})\/([^/\s,]+)\/tc3_request,` +
    String.raw`\s*SignedHeaders=([a-z0-9;_-]+),\s*Signature=([0-9a-f]{64})$`,
);

const sha256hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, msg: string) => createHmac("sha256", key).update(msg, "utf8").digest();

/** Parse the header; `AuthFailure.InvalidAuthorization` when absent or malformed. */
export function parseAuthorization(header: string | undefined): Tc3Authorization {
  if (!header) throw unsigned();
  const m = AUTH_RE.exec(header.trim());
  if (!m) throw authorizationMalformed();
  const signedHeaders = m[4]!.split(";");
  if (!signedHeaders.includes("content-type") || !signedHeaders.includes("host")) throw signedHeadersIncomplete();
  return { secretId: m[1]!, date: m[2]!, service: m[3]!, signedHeaders, signature: m[5]! };
}

/** UTC `YYYY-MM-DD` of a Unix timestamp in seconds. */
export function utcDate(timestampSec: number): string {
  return new Date(timestampSec * 1000).toISOString().slice(0, 10);
}

/** The signature for a given canonical request, key and scope. */
export function tc3Signature(
  secretKey: string,
  date: string,
  service: string,
  timestamp: string,
  canonicalRequest: string,
): string {
  const scope = `${date}/${service}/tc3_request`;
  const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256hex(canonicalRequest)}`;
  const kSigning = hmac(hmac(hmac(`TC3${secretKey}`, date), service), "tc3_request");
  return createHmac("sha256", kSigning).update(stringToSign, "utf8").digest("hex");
}

/** The canonical requests a client may have signed (host with or without port; values lower-cased or as sent). */
export function canonicalRequests(req: SignedRequest, signedHeaders: string[]): string[] {
  const payloadHash =
    headerValue(req.headers, "x-tc-content-sha256") === "UNSIGNED-PAYLOAD"
      ? sha256hex("UNSIGNED-PAYLOAD")
      : sha256hex(req.body);
  const out = new Set<string>();
  for (const hostForm of hostForms(req.headers)) {
    for (const lower of [true, false]) {
      const lines = [...signedHeaders].sort().map((name) => {
        const value = name === "host" ? hostForm : headerValue(req.headers, name);
        return `${name}:${lower ? value.toLowerCase() : value}\n`;
      });
      out.add(`${req.method}\n/\n${req.rawQuery}\n${lines.join("")}\n${signedHeaders.join(";")}\n${payloadHash}`);
    }
  }
  return [...out];
}

/**
 * Verify a request. `secretKeyFor` maps a SecretId to its key. Returns the SecretId.
 * Errors follow the contract's §2.2 mapping.
 */
export function verifyTc3(req: SignedRequest, secretKeyFor: KeyLookup, nowSec: number, toleranceSec: number): string {
  const auth = parseAuthorization(headerValue(req.headers, "authorization") || undefined);
  const ts = headerValue(req.headers, "x-tc-timestamp");
  const secretKey = checkCredentials("X-TC-Timestamp", ts, auth.secretId, secretKeyFor, nowSec, toleranceSec);
  const timestamp = Number(ts);
  if (auth.date !== utcDate(timestamp)) throw scopeDateMismatch(auth.date, utcDate(timestamp));
  const given = Buffer.from(auth.signature, "hex");
  for (const canonical of canonicalRequests(req, auth.signedHeaders)) {
    const expected = Buffer.from(tc3Signature(secretKey, auth.date, auth.service, ts, canonical), "hex");
    if (timingSafeEqual(expected, given)) return auth.secretId;
  }
  throw signatureMismatch();
}
