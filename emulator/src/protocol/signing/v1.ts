/**
 * The v1 signature (`SignatureMethod` HmacSHA1 or HmacSHA256), as the official SDKs send it with
 * that sign method in the client profile. The common parameters travel in the form with the
 * action's own (the query of a GET, the `application/x-www-form-urlencoded` body of a POST), and
 *
 *   Signature = base64(HMAC(SecretKey, METHOD + host + path + "?" + name=value&… ))
 *
 * over every form parameter but `Signature`, sorted by name, values unencoded. The Node SDK signs
 * the host as configured (the emulator's `host:port`), others may sign it without the port; both
 * forms are accepted. The path is always `/`.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import {
  missingParameter,
  nonceMalformed,
  requestTooLarge,
  signatureMethodUnsupported,
  signatureMismatch,
} from "../../errors";
import { readForm } from "../query";
import { checkCredentials, headerValue, hostForms, KeyLookup, SignedRequest } from "./request";

/** The common parameters of a v1 request (everything else in the form is the action's). */
export const V1_COMMON_PARAMETERS = [
  "Action",
  "Version",
  "Region",
  "Timestamp",
  "Nonce",
  "SecretId",
  "SignatureMethod",
  "Signature",
  "Token",
  "Language",
  "RequestClient",
] as const;

/** Sign methods and their HMAC digests; `HmacSHA1` when `SignatureMethod` is absent. */
const DIGESTS: Readonly<Record<string, string>> = { HmacSHA1: "sha1", HmacSHA256: "sha256" };
const DEFAULT_SIGNATURE_METHOD = "HmacSHA1";

/** A POST signed with v1 carries at most 1 MB (contract §1). */
export const MAX_V1_POST_BYTES = 1024 * 1024;

const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";

/** The form of a request signed with v1 (it has a `Signature` parameter), else undefined. */
export function v1Form(req: SignedRequest): Map<string, string> | undefined {
  let encoded: string;
  if (req.method === "GET") {
    encoded = req.rawQuery;
  } else {
    if (!headerValue(req.headers, "content-type").toLowerCase().startsWith(FORM_CONTENT_TYPE)) return undefined;
    if (req.body.length > MAX_V1_POST_BYTES)
      throw requestTooLarge("POST body signed with HmacSHA1 / HmacSHA256", MAX_V1_POST_BYTES);
    encoded = req.body.toString("utf8");
  }
  const form = readForm(encoded);
  return form.has("Signature") ? form : undefined;
}

/** The string a v1 client signs: METHOD + host + "/" + "?" + the sorted parameters but Signature. */
export function v1StringToSign(method: string, host: string, form: ReadonlyMap<string, string>): string {
  const names = [...form.keys()].filter((k) => k !== "Signature").sort();
  return `${method}${host}/?${names.map((k) => `${k}=${form.get(k)}`).join("&")}`;
}

/** The base64 signature of a string to sign. */
export function v1Signature(secretKey: string, signatureMethod: string, stringToSign: string): string {
  const digest = Object.hasOwn(DIGESTS, signatureMethod) ? DIGESTS[signatureMethod] : undefined;
  if (!digest) throw signatureMethodUnsupported(signatureMethod);
  return createHmac(digest, secretKey).update(stringToSign, "utf8").digest("base64");
}

/**
 * Verify a v1 request whose form `v1Form` read. Returns the SecretId. Same codes as TC3:
 * unknown SecretId, expired timestamp, signature mismatch; an unknown SignatureMethod is an
 * invalid authorization (as a wrong TC3 algorithm is).
 */
export function verifyV1(
  req: SignedRequest,
  form: ReadonlyMap<string, string>,
  secretKeyFor: KeyLookup,
  nowSec: number,
  toleranceSec: number,
): string {
  const signatureMethod = form.get("SignatureMethod") ?? DEFAULT_SIGNATURE_METHOD;
  if (!Object.hasOwn(DIGESTS, signatureMethod)) throw signatureMethodUnsupported(signatureMethod);
  const secretId = form.get("SecretId");
  if (!secretId) throw missingParameter("SecretId");
  const nonce = form.get("Nonce");
  if (nonce === undefined || nonce === "") throw missingParameter("Nonce");
  if (!/^\d{1,20}$/.test(nonce)) throw nonceMalformed();
  const secretKey = checkCredentials("Timestamp", form.get("Timestamp"), secretId, secretKeyFor, nowSec, toleranceSec);
  const given = Buffer.from(form.get("Signature")!, "base64");
  for (const host of hostForms(req.headers)) {
    const expected = Buffer.from(
      v1Signature(secretKey, signatureMethod, v1StringToSign(req.method, host, form)),
      "base64",
    );
    if (expected.length === given.length && timingSafeEqual(expected, given)) return secretId;
  }
  throw signatureMismatch();
}
