/**
 * The Tencent Cloud API v3 request pipeline: latency, TC3 verification, common headers,
 * parameters, faults, rate limits, then the action; every call is logged.
 */
import { ActionContext, ActionDefinition, CVM_API_VERSION, SERVICES } from "../actions";
import { CallRecord } from "../control/calls";
import { EmulatorCore } from "../core";
import { ApiError, internalError, missingParameter } from "../errors";
import { sleep } from "../load/latency";
import { RateLimiter } from "../load/rate-limits";
import { Account } from "../models/types";
import { errorEnvelope, newRequestId, successEnvelope } from "./envelope";
import { unflattenQuery } from "./query";
import { validateParams } from "./schema";
import { SignedRequest, verifyTc3 } from "./tc3";

/** The CVM API version (the Tag API's, 2018-08-13, is served too). */
export const API_VERSION = CVM_API_VERSION;
const MAX_POST_BYTES = 10 * 1024 * 1024;
const MAX_GET_BYTES = 32 * 1024;

/** A request as read off the wire. */
export interface ApiRequest extends SignedRequest {
  /** True when the body went over the size limit (and was not kept). */
  oversize: boolean;
}

/** What to send back. */
export type ApiOutcome = { kind: "json"; status: number; body: string; headers: Record<string, string> } | { kind: "drop" };

function header(req: ApiRequest, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === "string" ? v.trim() : Array.isArray(v) ? v.join(",") : undefined;
}

/** Parameters from the body (POST) or the query string (GET). */
function readParams(req: ApiRequest): { params: unknown; fromQuery: boolean } {
  if (req.method === "GET") return { params: unflattenQuery(req.rawQuery), fromQuery: true };
  const contentType = (header(req, "content-type") ?? "").toLowerCase();
  if (!contentType.startsWith("application/json")) {
    throw new ApiError("InvalidParameter", `Content-Type \`${contentType}\` is not supported for POST; use application/json.`);
  }
  const text = req.body.toString("utf8");
  if (text.trim() === "") return { params: {}, fromQuery: false };
  try {
    return { params: JSON.parse(text), fromQuery: false };
  } catch {
    throw new ApiError("InvalidParameter", "The request body is not valid JSON.");
  }
}

/** Image ids a call names (for fault rules with `imageId`). */
function imageIdsOf(definition: ActionDefinition, params: Record<string, unknown>): string[] {
  if (definition.imageIds) return definition.imageIds(params);
  const ids: string[] = [];
  if (typeof params.ImageId === "string") ids.push(params.ImageId);
  if (Array.isArray(params.ImageIds)) ids.push(...params.ImageIds.filter((x): x is string => typeof x === "string"));
  return ids;
}

const has = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** Authenticate and check the common headers; returns the account, action (routed by version) and region. */
function authenticate(core: EmulatorCore, req: ApiRequest, call: CallRecord): { account: Account; action: string; definition: ActionDefinition; region: string } {
  const { store, settings } = core;
  if (req.method !== "GET" && req.method !== "POST") throw new ApiError("UnsupportedProtocol", `HTTP method ${req.method} is not supported; use GET or POST.`);
  if (req.oversize) throw new ApiError("RequestSizeLimitExceeded", "The request is too large.");
  if (req.method === "GET" && req.rawQuery.length > MAX_GET_BYTES) throw new ApiError("RequestSizeLimitExceeded", "A GET request may carry at most 32 KB.");
  const secretId = verifyTc3(req, (id) => store.accountBySecretId(id)?.secretKey, Math.floor(Date.now() / 1000), settings.signatureToleranceSec);
  const account = store.accountBySecretId(secretId)!;
  call.account = account.uin;
  if (header(req, "x-tc-token")) throw new ApiError("AuthFailure.TokenFailure", "The emulator's accounts use permanent keys; X-TC-Token is not valid.");
  const action = header(req, "x-tc-action");
  if (!action) throw missingParameter("X-TC-Action");
  const version = header(req, "x-tc-version");
  if (!version) throw missingParameter("X-TC-Version");
  const owners = SERVICES.filter((s) => has(s.actions, action));
  if (owners.length === 0) throw new ApiError("InvalidAction", `The action \`${action}\` is not supported.`);
  const versions = owners.map((s) => s.version).join(" or ");
  const service = SERVICES.find((s) => s.version === version);
  if (!service) throw new ApiError("NoSuchVersion", `The API version \`${version}\` does not exist; use ${versions}.`);
  if (!has(service.actions, action)) {
    throw new ApiError("InvalidAction", `The action \`${action}\` is not part of the ${service.name} API ${version}; use version ${versions}.`);
  }
  const definition = service.actions[action]!;
  if (!service.regional) return { account, action, definition, region: "" };
  const region = header(req, "x-tc-region");
  if (!region) throw new ApiError(settings.behaviour.missingRegionError, "The request is missing the X-TC-Region header.");
  if (!store.regions.includes(region)) throw new ApiError(settings.behaviour.unknownRegionError, `The region \`${region}\` is not supported.`);
  return { account, action, definition, region };
}

/** Handle one API request end to end. */
export async function handleApiRequest(core: EmulatorCore, req: ApiRequest): Promise<ApiOutcome> {
  const requestId = newRequestId();
  const traceId = header(req, "x-tc-traceid");
  const headers: Record<string, string> = { "Content-Type": "application/json", ...(traceId ? { "X-TC-TraceId": traceId } : {}) };
  const call: CallRecord = { time: new Date().toISOString(), action: header(req, "x-tc-action") || "(none)", region: header(req, "x-tc-region") || undefined };
  let mutated = false;
  try {
    await sleep(core.settings.latencyMs);
    const { account, action, definition, region } = authenticate(core, req, call);
    const { params, fromQuery } = readParams(req);
    const validated = validateParams(params, definition.schema, fromQuery);

    const fault = core.faults.match(action, imageIdsOf(definition, validated), account);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.drop) {
      call.dropped = true;
      return { kind: "drop" };
    }
    if (fault?.httpStatus) {
      call.httpStatus = fault.httpStatus;
      return { kind: "json", status: fault.httpStatus, body: JSON.stringify({ message: "injected fault" }), headers };
    }
    if (fault?.error) throw new ApiError(fault.error.code, fault.error.message);

    const { settings } = core;
    if (settings.rateLimits && !core.limiter.take(account.uin, action, RateLimiter.rateFor(action, settings.rateOverrides))) {
      throw new ApiError("RequestLimitExceeded", `Your current request for ${action} has exceeded the frequency limit; please retry later.`);
    }
    const now = Date.now();
    core.store.settle(now);
    const ctx: ActionContext = { store: core.store, settings, account, region, now };
    mutated = definition.mutating;
    if (fault?.dropAfter) {
      // The action runs and takes effect (or fails); the answer is lost either way.
      call.dropped = true;
      try {
        definition.handler(ctx, validated);
      } catch (e) {
        if (e instanceof ApiError) call.errorCode = e.code;
        else throw e;
      }
      return { kind: "drop" };
    }
    const result = definition.handler(ctx, validated);
    return { kind: "json", status: 200, body: successEnvelope(result, requestId), headers };
  } catch (e) {
    const error = e instanceof ApiError ? e : internalError();
    if (!(e instanceof ApiError)) process.stderr.write(`cvm-emulator: internal error in ${call.action}: ${(e as Error)?.stack ?? String(e)}\n`);
    call.errorCode = error.code;
    return { kind: "json", status: 200, body: errorEnvelope(error.code, error.message, requestId), headers };
  } finally {
    core.calls.record(call);
    if (mutated) core.persist();
  }
}
