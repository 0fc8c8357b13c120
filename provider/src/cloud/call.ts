/**
 * The per-process call layer every API call goes through: per-action rate limit, retries with
 * exponential backoff and full jitter on throttling, network errors, 5xx and transient busy
 * states, a per-call timeout, and credential redaction in errors. An endpoint that cannot be
 * reached (connection refused, host not found) fails fast, with the endpoint, where it came from
 * and what to check. Its state (the request budgets, the endpoints found unreachable) is the
 * process's (`cloud/process.ts`), shared by all resources of a stack operation, which run
 * concurrently in one Node process.
 *
 * The calls go through the real Tencent Cloud CVM SDK client, built per call from resolved settings
 * (nothing is cached, so no credential outlives the call); another service goes through the SDK's
 * generic client.
 */
import * as tencentcloud from "tencentcloud-sdk-nodejs-cvm";
import { backoffDelay, classifyError, ClassifiedError, ErrorKind, redact, unreachableCode } from "./errors";
import { unreachableText } from "./endpoints";
import { processState } from "./process";
import type { ResolvedEndpoint, Settings } from "./settings";
import type { CredentialSource, Operation } from "./credentials-rules";

// The SDK client.

const CvmClient = tencentcloud.cvm.v20170312.Client;

/** The generic call the call layer uses (`AbstractClient.request`). */
export interface RequestClient {
  request(action: string, req: unknown, options?: { signal?: AbortSignal }): Promise<Record<string, unknown>>;
}

/**
 * Another Tencent Cloud service reached through the same call layer (e.g. the Tag API): its endpoint and API version.
 */
export interface ServiceTarget extends ResolvedEndpoint {
  version: string;
}

/** The class of the SDK's generic client. */
export interface CommonClientCtor {
  new (endpoint: string, version: string, config: unknown): RequestClient;
}

/** The SDK's generic client, resolved through the CVM package's own dependency (loaded once per process). */
function loadCommonClient(): CommonClientCtor {
  if (!processState.commonClient) {
    const from = require.resolve("tencentcloud-sdk-nodejs-cvm");
    const common = require(require.resolve("tencentcloud-sdk-nodejs-common", { paths: [from] })) as {
      CommonClient: CommonClientCtor;
    };
    processState.commonClient = common.CommonClient;
  }
  return processState.commonClient;
}

/** Builds a fresh client. Nothing is cached, so no credential outlives the call. */
export function createClient(s: Settings, service?: ServiceTarget): RequestClient {
  const endpoint = service ? service.endpoint : s.endpoint;
  const config = {
    credential: s.token
      ? { secretId: s.secretId, secretKey: s.secretKey, token: s.token }
      : { secretId: s.secretId, secretKey: s.secretKey },
    region: s.region,
    profile: {
      language: "en-US" as const,
      httpProfile: {
        endpoint,
        protocol: service ? service.protocol : s.protocol,
        reqMethod: "POST" as const,
        reqTimeout: s.tuning.callTimeoutSec,
      },
    },
  };
  if (service) return new (loadCommonClient())(endpoint, service.version, config);
  return new CvmClient(config) as unknown as RequestClient;
}

// The call layer.

/** An API call that failed for good. Carries the API code; its message never contains a credential. */
export class ApiError extends Error {
  override name = "ApiError";
  /** Where the call's credentials came from (for authentication errors; holds no secret). */
  credentials?: CredentialSource;
  /** The operation the call belonged to. */
  operation?: Operation;
  /** The region the call was sent to (named when the API does not know it). */
  region?: string;
  constructor(
    readonly action: string,
    readonly kind: ErrorKind,
    readonly code: string | undefined,
    readonly requestId: string | undefined,
    readonly attempts: number,
    detail: string,
  ) {
    super(
      `${action} failed${code ? ` with ${code}` : ""}: ${detail}${attempts > 1 ? ` (after ${attempts} attempts)` : ""}`,
    );
  }
}

export interface CallOptions {
  /** Epoch ms after which no new attempt starts. */
  deadline?: number;
  /**
   * The action is not idempotent (CreateImage, ImportImage): an ambiguous failure (network, 5xx)
   * may have taken effect, so it is not retried here but thrown for the caller to reconcile.
   */
  nonIdempotent?: boolean;
  /** Call another service (default: CVM at the settings' endpoint). */
  service?: ServiceTarget;
  /**
   * Error kinds not retried here, though retryable (a batched
   * DeleteImages hands busy states back to be retried per image).
   */
  noRetryKinds?: readonly ErrorKind[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Attempts of a call whose endpoint refuses connections or does not resolve: a few, quickly, in
 * case it was a blip (a server restarting, a DNS hiccup), not the full retry budget.
 */
const UNREACHABLE_ATTEMPTS = 3;

function isAmbiguous(c: ClassifiedError): boolean {
  return c.kind === "network" || c.kind === "server";
}

/** The request id an SDK error carries, if any. */
function requestIdOf(err: unknown): string | undefined {
  return typeof (err as { requestId?: unknown })?.requestId === "string"
    ? (err as { requestId: string }).requestId
    : undefined;
}

/**
 * Whether a failed attempt ends the call: the error is not retryable or not retried here, the attempts or the time
 * are used up, the endpoint stays unreachable (`knownUnreachable`: the last call to it could not reach it either), or
 * a call that must not run twice may have taken effect.
 */
function givesUp(
  c: ClassifiedError,
  attempt: number,
  delay: number,
  opts: CallOptions,
  retryAttempts: number,
  knownUnreachable: boolean,
): boolean {
  const outOfTime = opts.deadline !== undefined && Date.now() + delay > opts.deadline;
  // Throttling says "later", and the budget has already slowed down: within a deadline it is
  // retried until the deadline (other processes may hold the account's rate for a while).
  const outOfAttempts = attempt >= retryAttempts && !(c.kind === "throttled" && opts.deadline !== undefined);
  const unreachableNow = c.kind === "unreachable" && (attempt >= UNREACHABLE_ATTEMPTS || knownUnreachable);
  return Boolean(
    !c.retryable ||
    opts.noRetryKinds?.includes(c.kind) ||
    outOfAttempts ||
    outOfTime ||
    unreachableNow ||
    (opts.nonIdempotent && isAmbiguous(c)),
  );
}

/** The error a call ends with: its message redacted, with the source of the credentials, the operation and region. */
function callFailure(
  s: Settings,
  action: string,
  target: ServiceTarget | Settings,
  c: ClassifiedError,
  requestId: string | undefined,
  attempt: number,
): ApiError {
  let detail = c.message;
  if (c.kind === "unreachable") {
    // Classified unreachable: the system error is its code, or else named in its message.
    detail = unreachableText({
      url: `${target.protocol}${target.endpoint}`,
      endpoint: target.endpoint,
      origin: target.endpointOrigin,
      code: unreachableCode(c.code ?? c.message)!,
    });
  }
  const secrets = [s.secretKey, s.token, s.secretId];
  const failure = new ApiError(action, c.kind, c.code, requestId || undefined, attempt, redact(detail, secrets));
  if (s.source) failure.credentials = s.source;
  if (s.operation) failure.operation = s.operation;
  if (s.region) failure.region = s.region;
  return failure;
}

/** Calls `action` with `req`; returns the Response body (without RequestId handling). */
export async function callApi<T = Record<string, unknown>>(
  s: Settings,
  action: string,
  req: object,
  opts: CallOptions = {},
): Promise<T> {
  const target = opts.service ?? s;
  const host = `${target.protocol}${target.endpoint}`;
  const limitKey = `${host}|${s.secretId}|${action}`;
  const t = s.tuning;
  // Endpoints that the last call to them in this process could not reach: a call there that cannot
  // connect either gives up at its first attempt, so the many calls of an operation do not each
  // spend the attempts above; any answer from the endpoint, an API error included, removes it.
  const unreachable = processState.unreachableEndpoints;
  for (let attempt = 1; ; attempt++) {
    const budget = processState.budgets.get(limitKey, action);
    await budget.acquire();
    try {
      const answer = (await createClient(s, opts.service).request(action, req)) as T;
      unreachable.delete(host);
      return answer;
    } catch (err) {
      const c = classifyError(err);
      if (c.kind !== "unreachable") unreachable.delete(host);
      if (c.kind === "throttled") budget.throttled();
      const requestId = requestIdOf(err);
      const delay = backoffDelay(attempt - 1, t.retryBaseMs, t.retryMaxMs);
      if (givesUp(c, attempt, delay, opts, t.retryAttempts, unreachable.has(host))) {
        if (c.kind === "unreachable") unreachable.add(host);
        throw callFailure(s, action, target, c, requestId, attempt);
      }
      await sleep(delay);
    }
  }
}
