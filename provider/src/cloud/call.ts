/**
 * The per-process call layer every API call goes through: per-action rate limit, retries with
 * exponential backoff and full jitter on throttling, network errors, 5xx and transient busy
 * states, a per-call timeout, and credential redaction in errors. An endpoint that cannot be
 * reached (connection refused, host not found) fails fast, with the endpoint, where it came from
 * and what to check. Its state (the request budgets, the endpoints found unreachable) is the
 * process's (`cloud/process.ts`), shared by all resources of a stack operation, which run
 * concurrently in one Node process.
 */
import { backoffDelay, classifyError, ClassifiedError, ErrorKind, redact, unreachableCode } from "./errors";
import { unreachableText } from "./endpoints";
import { createClient, ServiceTarget } from "./client";
import { processState } from "./process";
import type { Settings } from "./settings";
import type { CredentialSource, Operation } from "./credentials-rules";

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
  /** Error kinds not retried here, though retryable (a batched DeleteImages hands busy states back to be retried per image). */
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

/** Calls `action` with `req`; returns the Response body (without RequestId handling). */
export async function callApi<T = Record<string, unknown>>(
  s: Settings,
  action: string,
  req: object,
  opts: CallOptions = {},
): Promise<T> {
  const secrets = [s.secretKey, s.token, s.secretId];
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
      const requestId =
        typeof (err as { requestId?: unknown })?.requestId === "string"
          ? (err as { requestId: string }).requestId
          : undefined;
      const delay = backoffDelay(attempt - 1, t.retryBaseMs, t.retryMaxMs);
      const outOfTime = opts.deadline !== undefined && Date.now() + delay > opts.deadline;
      // Throttling says "later", and the budget has already slowed down: within a deadline it is
      // retried until the deadline (other processes may hold the account's rate for a while).
      const outOfAttempts = attempt >= t.retryAttempts && !(c.kind === "throttled" && opts.deadline !== undefined);
      const unreachableNow = c.kind === "unreachable" && (attempt >= UNREACHABLE_ATTEMPTS || unreachable.has(host));
      const giveUp =
        !c.retryable ||
        opts.noRetryKinds?.includes(c.kind) ||
        outOfAttempts ||
        outOfTime ||
        unreachableNow ||
        (opts.nonIdempotent && isAmbiguous(c));
      if (giveUp) {
        let detail = c.message;
        if (c.kind === "unreachable") {
          unreachable.add(host);
          // Classified unreachable: the system error is its code, or else named in its message.
          detail = unreachableText({
            url: host,
            endpoint: target.endpoint,
            origin: target.endpointOrigin,
            code: unreachableCode(c.code ?? c.message)!,
          });
        }
        const failure = new ApiError(action, c.kind, c.code, requestId || undefined, attempt, redact(detail, secrets));
        if (s.source) failure.credentials = s.source;
        if (s.operation) failure.operation = s.operation;
        if (s.region) failure.region = s.region;
        throw failure;
      }
      await sleep(delay);
    }
  }
}
