/**
 * Coalescing of DeleteImages. All resources of a stack operation run in one Node process and
 * their deletes run concurrently, while DeleteImages is rate-limited (10/s per account) and takes
 * a list. Requests for the same account (SecretId), region, endpoint and DeleteBindedSnap value
 * that arrive within a short window go out as one call; each caller still gets the outcome a
 * single delete of its own image would have had.
 *
 * The pure parts (configuration, grouping key, the window/size scheduler, the failure scope of an
 * error) are exported for tests; `submitDelete` is the per-process batcher `deleteImage` uses.
 */
import { createHash } from "node:crypto";
import type { ErrorKind } from "./errors";
import { ApiError, callApi, CallOptions } from "./call";
import { rateFor } from "./budget";
import { processEnv, type Env, type Settings } from "./settings";
import { processState, systemClock, type Clock, type DeleteBatching } from "./process";

/** Environment variables of the batcher. */
export const BATCH_ENV = {
  windowMs: "CVM_IMAGE_DELETE_BATCH_WINDOW_MS",
  max: "CVM_IMAGE_DELETE_BATCH_MAX",
  maxGatherMs: "CVM_IMAGE_DELETE_BATCH_MAX_GATHER_MS",
} as const;

/**
 * 25 ms of quiet: the deletes a `pulumi destroy` releases together reach the provider a few ms
 * apart (the engine hands them over one by one as earlier ones finish), so a group keeps gathering
 * while they keep coming; short against the 100 ms a DeleteImages slot costs at 10/s.
 */
export const DEFAULT_BATCH_WINDOW_MS = 25;
/**
 * 2 s: the longest a delete waits for others to join its batch. It waits at all only while the
 * process is rate-bound (see {@link DeleteCapacity.rateBound}): under `--parallel 64` the engine
 * hands deletes over a state write apart, and 2 s gathers about ten of them.
 */
export const DEFAULT_BATCH_MAX_GATHER_MS = 2000;
/**
 * 20 ids: the API documents no maximum, yet has `InvalidParameterValue.LimitExceeded`, so some
 * server-side cap exists. 20 is well below the 100 that DescribeImages and other list parameters
 * of the CVM API take, and already turns 10 calls/s into up to 200 images/s. A batch refused with
 * LimitExceeded is split in halves until it fits, so a lower real cap costs calls, never deletes.
 */
export const DEFAULT_BATCH_MAX = 20;
/**
 * 10 ids: the batch a gathering group waits for while the process is rate-bound (see
 * {@link DeleteCapacity.rateBound}). The deletes' first looks share calls, so the images one look
 * clears arrive together and mostly fill it at once; the rest (images whose shares are listed and
 * cancelled first) wait for the next look's. 300 images at `--parallel 64`: 0.08 DeleteImages per
 * image and 0.2 s less gathering per delete than a fill of 15 (0.07).
 */
export const RATE_BOUND_FILL = 10;
/**
 * Half: the share of an account's DeleteImages rate one process plans to use on its own. The rate
 * is the account's, and other stacks or tools may delete in it at the same time.
 */
export const PROCESS_RATE_SHARE = 0.5;
/**
 * 2 s: how long a delete is taken to last until one of the process's deletes has ended (the
 * emulator's default deletion lag; the cloud documents none). With it, the first deletes of a
 * destroy at `--parallel 64` already gather into full batches (more than 10 at once outrun half the
 * rate), while the default parallelism (8 at once: 4/s) still sends each as it comes.
 */
export const FIRST_DELETE_GUESS_MS = 2000;

export interface BatchConfig {
  /** The quiet period after which a gathering group goes out, ms; 0 disables coalescing. */
  windowMs: number;
  /** The longest a group gathers, ms. */
  maxGatherMs: number;
  /** The most image ids per DeleteImages call (at least 1). */
  maxIds: number;
}

/** Reads the batch configuration; malformed or negative values fall back to the defaults. */
export function batchConfig(env: Env = processEnv()): BatchConfig {
  const read = (key: string, fallback: number) => {
    const raw = env[key];
    if (raw === undefined || raw.trim() === "") return fallback;
    const n = Number(raw);
    return Number.isFinite(n) && n >= 0 ? n : fallback;
  };
  return {
    windowMs: read(BATCH_ENV.windowMs, DEFAULT_BATCH_WINDOW_MS),
    maxGatherMs: read(BATCH_ENV.maxGatherMs, DEFAULT_BATCH_MAX_GATHER_MS),
    maxIds: Math.max(1, Math.floor(read(BATCH_ENV.max, DEFAULT_BATCH_MAX))),
  };
}

/** What decides whether two deletes may share a call. */
export interface GroupFields {
  protocol: string;
  endpoint: string;
  secretId: string;
  region: string;
  deleteSnapshots: boolean;
}

/**
 * The grouping key. The SecretId only enters as a digest, so the key names no credential; the
 * SecretKey and token never enter it (the same SecretId always goes with the same key).
 */
export function groupKey(f: GroupFields): string {
  const account = createHash("sha256").update(f.secretId).digest("hex").slice(0, 16);
  return [`${f.protocol}${f.endpoint}`, account, f.region, f.deleteSnapshots ? "snap:delete" : "snap:keep"].join("|");
}

/**
 * Whether a failed batch call may concern only some of its ids (so every id is asked again on
 * its own), or the call as a whole (every caller gets the error, as its own single call would have).
 * The batch's failure semantics are undocumented and its error carries one code, so only errors
 * that cannot depend on the ids count as whole-call: throttling, network and server errors (which
 * the call layer has already retried), an unreachable endpoint, and authentication, region, action and
 * unknown-parameter errors. Everything else (InvalidImageId.*, InvalidParameterValue.* including LimitExceeded, busy
 * states, FailedOperation, UnauthorizedOperation, which CAM can scope per image, ...) falls back per id.
 */
export function failureScope(kind: ErrorKind, code: string | undefined): "per-id" | "whole" {
  if (kind === "throttled" || kind === "network" || kind === "unreachable" || kind === "server") return "whole";
  if (!code) return kind === "busy" ? "per-id" : "whole";
  if (
    /^(AuthFailure|InvalidRegion|UnsupportedRegion|InvalidAction|UnknownParameter|RequestSizeLimitExceeded)(\.|$)/.test(
      code,
    )
  )
    return "whole";
  return "per-id";
}

interface Group<E> {
  entries: E[];
  ids: Set<string>;
  openedAt: number;
  cancel: (() => void) | undefined;
}

/**
 * Groups entries by key into batches that fill. A group goes out when it holds `maxIds` distinct
 * ids; otherwise once no entry has joined it for `windowMs` (a quiet period, not a fixed window:
 * each new id restarts it), and at the latest `maxGatherMs` after it opened. While a batch of the
 * key is in flight, the next group keeps gathering and goes out as soon as that batch is answered
 * (the rate budget spaces the calls anyway, so waiting costs nothing and fills the batch). While
 * `capacity.rateBound()`, a group also waits past the quiet period until it holds
 * {@link RATE_BOUND_FILL} ids (at most `maxGatherMs`); otherwise it never waits for more. Entries
 * with an id already in the open group join it without counting again. With `windowMs` 0 every entry
 * goes out alone, at once.
 */
export class Coalescer<E extends { imageId: string }> {
  private readonly open = new Map<string, Group<E>>();
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly flush: (key: string, entries: E[]) => Promise<void>,
    private readonly clock: Clock = systemClock,
    private readonly capacity: { rateBound(): boolean } = { rateBound: () => false },
  ) {}

  add(key: string, entry: E, config: BatchConfig): void {
    if (config.windowMs <= 0 || config.maxIds <= 1) {
      void this.send(key, [entry]);
      return;
    }
    let group = this.open.get(key);
    if (!group) {
      group = { entries: [], ids: new Set<string>(), openedAt: this.clock.now(), cancel: undefined };
      this.open.set(key, group);
    }
    const fresh = !group.ids.has(entry.imageId);
    group.entries.push(entry);
    group.ids.add(entry.imageId);
    if (group.ids.size >= config.maxIds) return this.close(key, group);
    if (fresh) this.restartQuiet(key, group, config);
  }

  /** Groups still gathering. */
  pending(): number {
    return this.open.size;
  }

  private restartQuiet(key: string, group: Group<E>, config: BatchConfig): void {
    group.cancel?.();
    const untilMax = group.openedAt + config.maxGatherMs - this.clock.now();
    group.cancel = this.clock.timer(Math.min(config.windowMs, Math.max(0, untilMax)), () => {
      group.cancel = undefined;
      if (this.open.get(key) !== group) return;
      const early = this.clock.now() - group.openedAt < config.maxGatherMs;
      // Held while a batch of the key is answered; sent when it is (see send).
      if (early && (this.inFlight.get(key) ?? 0) > 0) return;
      // Held until it fills while single deletes would outrun the DeleteImages rate anyway. Not
      // otherwise: every delete is an engine slot waiting on it, and deletes sent as they come
      // also end apart, so the engine's state writes after them do not queue up behind each other.
      if (early && group.ids.size < Math.min(RATE_BOUND_FILL, config.maxIds) && this.capacity.rateBound())
        return this.restartQuiet(key, group, config);
      this.close(key, group);
    });
  }

  private close(key: string, group: Group<E>): void {
    group.cancel?.();
    if (this.open.get(key) === group) this.open.delete(key);
    void this.send(key, group.entries);
  }

  private async send(key: string, entries: E[]): Promise<void> {
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    try {
      await this.flush(key, entries);
    } finally {
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left > 0) this.inFlight.set(key, left);
      else this.inFlight.delete(key);
      const next = this.open.get(key);
      if (left === 0 && next && next.cancel === undefined) this.close(key, next);
    }
  }
}

/**
 * The deletes this process runs, the most it has run at once (the engine's parallelism as seen
 * from here) and how long one takes: whether sending them as they come would outrun the rate.
 */
export class DeleteCapacity {
  private running = 0;
  private peak = 0;
  private idleSince = 0;
  /** How long a delete takes, ms (moving average; 0 until one has ended). */
  private durationMs = 0;
  private readonly started: number[] = [];

  /** `ratePerSec`: DeleteImages calls per second the account allows. */
  constructor(
    private readonly clock: Clock = systemClock,
    private readonly ratePerSec = 10,
  ) {}

  /** A delete operation began. A process idle for a second starts afresh (another operation). */
  begin(): void {
    if (this.running === 0 && this.clock.now() - this.idleSince > 1000) this.peak = 0;
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    this.started.push(this.clock.now());
  }

  /** A delete operation ended (whatever its outcome). */
  end(): void {
    this.running = Math.max(0, this.running - 1);
    const began = this.started.shift();
    if (began !== undefined) {
      const took = this.clock.now() - began;
      this.durationMs = this.durationMs === 0 ? took : 0.8 * this.durationMs + 0.2 * took;
    }
    if (this.running === 0) this.idleSince = this.clock.now();
  }

  /**
   * True when single deletes would outrun this process's share of the DeleteImages rate: the
   * most deletes run at once, each taking as long as deletes take (the cloud's deletion lag,
   * mostly), finish more than {@link PROCESS_RATE_SHARE} of the account's rate per second. The
   * engine then waits on the rate rather than on one delete, so a batch waiting to fill costs
   * little and leaves the rest of the account's rate to other processes. Until a delete has ended,
   * a delete is taken to last {@link FIRST_DELETE_GUESS_MS}.
   */
  rateBound(): boolean {
    const duration = this.durationMs > 0 ? this.durationMs : FIRST_DELETE_GUESS_MS;
    return (this.peak * 1000) / duration > this.ratePerSec * PROCESS_RATE_SHARE;
  }
}

/** The process's delete batching (`processState.deletes`), made at the first delete after a start or a reset. */
function batching(): DeleteBatching {
  if (!processState.deletes) {
    const capacity = new DeleteCapacity(systemClock, rateFor("DeleteImages"));
    const coalescer = new Coalescer<DeleteRequest>((_key, reqs) => sendGroup(reqs), systemClock, capacity);
    processState.deletes = { capacity, coalescer };
  }
  return processState.deletes;
}

/**
 * The process's delete operations (deleteResource begins and
 * ends one each): the process state's {@link DeleteCapacity}.
 */
export const deleteCapacity: Pick<DeleteCapacity, "begin" | "end" | "rateBound"> = {
  begin: () => batching().capacity.begin(),
  end: () => batching().capacity.end(),
  rateBound: () => batching().capacity.rateBound(),
};

/** One caller's delete of one image, waiting in the coalescer. */
export interface DeleteRequest {
  imageId: string;
  settings: Settings;
  deleteSnapshots: boolean;
  opts: CallOptions;
  resolve(): void;
  reject(e: unknown): void;
}

function deleteRequest(ids: string[], deleteSnapshots: boolean): Record<string, unknown> {
  const req: Record<string, unknown> = { ImageIds: ids };
  if (deleteSnapshots) req.DeleteBindedSnap = true;
  return req;
}

/** The latest deadline of the callers (none when one of them has none): the batch serves them all. */
function latestDeadline(reqs: DeleteRequest[]): number | undefined {
  let latest = 0;
  for (const r of reqs) {
    if (r.opts.deadline === undefined) return undefined;
    latest = Math.max(latest, r.opts.deadline);
  }
  return latest;
}

/** One DeleteImages for one image and everyone who asked for it. */
async function sendOne(reqs: DeleteRequest[]): Promise<void> {
  const [first] = reqs;
  try {
    await callApi(first.settings, "DeleteImages", deleteRequest([first.imageId], first.deleteSnapshots), {
      ...first.opts,
      deadline: latestDeadline(reqs),
    });
    for (const r of reqs) r.resolve();
  } catch (e) {
    for (const r of reqs) r.reject(e);
  }
}

/**
 * Sends one group: one call for all its ids. A call refused in a way that may concern only some ids
 * is split in halves, and again, until the image at fault answers alone; the others still go through.
 * (Whether a refused batch deleted some of its ids is undocumented: an id deleted after all answers
 * InvalidImageId.NotFound when asked again, which the delete counts as done.)
 */
async function sendGroup(reqs: DeleteRequest[]): Promise<void> {
  const byId = new Map<string, DeleteRequest[]>();
  for (const r of reqs) byId.set(r.imageId, [...(byId.get(r.imageId) ?? []), r]);
  if (byId.size === 1) return sendOne(reqs);
  const [first] = reqs;
  const ids = [...byId.keys()];
  try {
    // Busy states are not retried for the whole batch: one busy image must not hold up the others.
    await callApi(first.settings, "DeleteImages", deleteRequest(ids, first.deleteSnapshots), {
      ...first.opts,
      deadline: latestDeadline(reqs),
      noRetryKinds: ["busy"],
    });
  } catch (e) {
    const scope = e instanceof ApiError ? failureScope(e.kind, e.code) : "whole";
    if (scope === "whole") {
      for (const r of reqs) r.reject(e);
      return;
    }
    const groups = [...byId.values()];
    const half = Math.ceil(groups.length / 2);
    await Promise.all([sendGroup(groups.slice(0, half).flat()), sendGroup(groups.slice(half).flat())]);
    return;
  }
  for (const r of reqs) r.resolve();
}

/**
 * Deletes one image through the per-process batcher: resolves when the DeleteImages carrying it
 * succeeded, rejects with the error its own call got (an `ApiError`, as `callApi` throws).
 */
export function submitDelete(
  s: Settings,
  imageId: string,
  deleteSnapshots: boolean,
  opts: CallOptions = {},
  config: BatchConfig = batchConfig(),
): Promise<void> {
  const key = groupKey({
    protocol: s.protocol,
    endpoint: s.endpoint,
    secretId: s.secretId,
    region: s.region,
    deleteSnapshots,
  });
  return new Promise<void>((resolve, reject) =>
    batching().coalescer.add(key, { imageId, settings: s, deleteSnapshots, opts, resolve, reject }, config),
  );
}
