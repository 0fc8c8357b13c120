/**
 * The Tencent Cloud API request pipeline: latency, signature (TC3-HMAC-SHA256, or v1 HmacSHA1 /
 * HmacSHA256), common parameters, parameters, faults, rate limits, then the action; every call is logged.
 */
import { ActionContext, ActionDefinition, CVM_API_VERSION, SERVICES } from "../actions";
import { CallRecord } from "../control/calls";
import { EmulatorCore } from "../core";
import {
  actionNotInVersion,
  ApiError,
  bodyNotJson,
  injectedFault,
  internalError,
  missingParameter,
  missingRegion,
  noSuchVersion,
  requestLimitExceeded,
  requestTooLarge,
  tokenRefused,
  unknownAction,
  unknownRegion,
  unsupportedContentType,
  unsupportedMethod,
} from "../errors";
import { sleep } from "../load/latency";
import { RateLimiter } from "../load/rate-limits";
import { Account } from "../models/types";
import { errorEnvelope, newRequestId, successEnvelope } from "./envelope";
import { unflatten, unflattenQuery } from "./query";
import { validateParams } from "./schema";
import { headerValue, SignedRequest } from "./signing/request";
import { verifyTc3 } from "./signing/tc3";
import { V1_COMMON_PARAMETERS, v1Form, verifyV1 } from "./signing/v1";

/** The CVM API version (the Tag API's, 2018-08-13, and Auto Scaling's, 2018-04-19, are served too). */
export const API_VERSION = CVM_API_VERSION;
/** The largest POST body (signed with TC3). */
export const MAX_POST_BYTES = 10 * 1024 * 1024;
const MAX_GET_BYTES = 32 * 1024;

/** A request as read off the wire. */
export interface ApiRequest extends SignedRequest {
  /** True when the body went over the size limit (and was not kept). */
  oversize: boolean;
}

/** What to send back. */
export type ApiOutcome =
  { kind: "json"; status: number; body: string; headers: Record<string, string> } | { kind: "drop" };

/** What a verified request says about itself, whichever way it was signed. */
interface SignedCall {
  secretId: string;
  action: string;
  version: string;
  region: string;
  token: string;
  /** The action's parameters, read when the pipeline gets to them (after action, version and region). */
  params: () => { params: unknown; fromQuery: boolean };
}

const header = (req: ApiRequest, name: string): string | undefined => headerValue(req.headers, name) || undefined;

/** TC3: the common parameters are headers; the parameters are the JSON body (POST) or the query (GET). */
function tc3Call(core: EmulatorCore, req: ApiRequest): SignedCall {
  const secretId = verifyTc3(
    req,
    (id) => core.store.accountBySecretId(id)?.secretKey,
    Math.floor(Date.now() / 1000),
    core.settings.signatureToleranceSec,
  );
  return {
    secretId,
    action: header(req, "x-tc-action") ?? "",
    version: header(req, "x-tc-version") ?? "",
    region: header(req, "x-tc-region") ?? "",
    token: header(req, "x-tc-token") ?? "",
    params: () => {
      if (req.method === "GET") return { params: unflattenQuery(req.rawQuery), fromQuery: true };
      const contentType = (header(req, "content-type") ?? "").toLowerCase();
      if (!contentType.startsWith("application/json")) throw unsupportedContentType(contentType);
      const text = req.body.toString("utf8");
      if (text.trim() === "") return { params: {}, fromQuery: false };
      try {
        return { params: JSON.parse(text), fromQuery: false };
      } catch {
        throw bodyNotJson();
      }
    },
  };
}

const V1_COMMON = new Set<string>(V1_COMMON_PARAMETERS);

/** v1: common parameters and the action's share the form. */
function v1Call(core: EmulatorCore, req: ApiRequest, form: Map<string, string>, call: CallRecord): SignedCall {
  call.action = form.get("Action") || call.action;
  call.region = form.get("Region") || call.region;
  const secretId = verifyV1(
    req,
    form,
    (id) => core.store.accountBySecretId(id)?.secretKey,
    Math.floor(Date.now() / 1000),
    core.settings.signatureToleranceSec,
  );
  return {
    secretId,
    action: form.get("Action") ?? "",
    version: form.get("Version") ?? "",
    region: form.get("Region") ?? "",
    token: form.get("Token") ?? "",
    params: () => ({ params: unflatten([...form].filter(([k]) => !V1_COMMON.has(k))), fromQuery: true }),
  };
}

/** Image ids a call names (for fault rules with `imageId`). */
function imageIdsOf(definition: ActionDefinition, params: Record<string, unknown>): string[] {
  if (definition.imageIds) return definition.imageIds(params);
  const ids: string[] = [];
  if (typeof params.ImageId === "string") ids.push(params.ImageId);
  if (Array.isArray(params.ImageIds)) ids.push(...params.ImageIds.filter((x): x is string => typeof x === "string"));
  return ids;
}

/**
 * Authenticate and check the common parameters; returns the account, action (routed by version), region and the call.
 */
function authenticate(
  core: EmulatorCore,
  req: ApiRequest,
  call: CallRecord,
): { account: Account; action: string; definition: ActionDefinition; region: string; signed: SignedCall } {
  const { store, settings } = core;
  if (req.method !== "GET" && req.method !== "POST") throw unsupportedMethod(req.method);
  if (req.oversize) throw requestTooLarge("POST body", MAX_POST_BYTES);
  if (req.method === "GET" && req.rawQuery.length > MAX_GET_BYTES) throw requestTooLarge("GET query", MAX_GET_BYTES);
  const form = header(req, "authorization") === undefined ? v1Form(req) : undefined;
  const signed = form ? v1Call(core, req, form, call) : tc3Call(core, req);
  const account = store.accountBySecretId(signed.secretId)!;
  call.account = account.uin;
  if (signed.token) throw tokenRefused();
  const { action, version } = signed;
  if (!action) throw missingParameter(form ? "Action" : "X-TC-Action");
  if (!version) throw missingParameter(form ? "Version" : "X-TC-Version");
  const owners = SERVICES.filter((s) => Object.hasOwn(s.actions, action));
  if (owners.length === 0) throw unknownAction(action);
  const versions = owners.map((s) => s.version).join(" or ");
  const service = SERVICES.find((s) => s.version === version);
  if (!service) throw noSuchVersion(version, versions);
  if (!Object.hasOwn(service.actions, action)) throw actionNotInVersion(action, service.name, version, versions);
  const definition = service.actions[action]!;
  if (!service.regional) return { account, action, definition, region: "", signed };
  const { region } = signed;
  if (!region) throw missingRegion(settings.behaviour.missingRegionError);
  if (!store.regions.includes(region)) throw unknownRegion(settings.behaviour.unknownRegionError, region);
  return { account, action, definition, region, signed };
}

/** Handle one API request end to end. */
export async function handleApiRequest(core: EmulatorCore, req: ApiRequest): Promise<ApiOutcome> {
  const requestId = newRequestId();
  const traceId = header(req, "x-tc-traceid");
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    ...(traceId ? { "X-TC-TraceId": traceId } : {}),
  };
  const call: CallRecord = {
    time: new Date().toISOString(),
    action: header(req, "x-tc-action") || "(none)",
    region: header(req, "x-tc-region") || undefined,
  };
  let mutated = false;
  try {
    await sleep(core.settings.latencyMs);
    const { account, action, definition, region, signed } = authenticate(core, req, call);
    const { params, fromQuery } = signed.params();
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
    if (fault?.error) throw injectedFault(fault.error.code, fault.ruleId, fault.error.message);

    const { settings } = core;
    if (
      settings.rateLimits &&
      !core.limiter.take(account.uin, action, RateLimiter.rateFor(action, settings.rateOverrides))
    ) {
      throw requestLimitExceeded(action);
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
    if (!(e instanceof ApiError))
      process.stderr.write(`cvm-emulator: internal error in ${call.action}: ${(e as Error)?.stack ?? String(e)}\n`);
    call.errorCode = error.code;
    return { kind: "json", status: 200, body: errorEnvelope(error.code, error.message, requestId), headers };
  } finally {
    core.calls.record(call);
    if (mutated) core.persist();
  }
}
