/**
 * The provider's per-process state, in one place. All dynamic resources of a Pulumi stack run in
 * one Node process, concurrently; what they share (the stack config, request budgets, shared
 * describes and usage scans, delete batching, the warning sink) lives in {@link processState},
 * never in the serialized provider. Each module reads and writes its part through it, and
 * {@link resetProcess} puts all of it back as a fresh process has it (tests, benchmarks).
 *
 * This module holds state only (and the process's clock, {@link Clock}): the behaviour stays in the
 * modules named on each field. It imports those modules' types only (and the budget registry), so
 * any of them may import it.
 */
import type { ImageFacts } from "../schema/types";
import { BudgetRegistry, defaultPolicy, rateFor } from "./budget";
import type { CommonClientCtor } from "./call";
import type { Coalescer, DeleteCapacity, DeleteRequest } from "./delete-batcher";
import type { WarningSink } from "./diagnostics";
import type { Settings, StackConfig } from "./settings";
import type { UsageScan } from "./usage-rules";
import type { Watcher } from "./describes";

/** Time as the fleet sees it: the real clock in use, a fake one in tests. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
  /** Runs `fn` after `ms` milliseconds; the returned function cancels it. The timer never keeps the process alive. */
  timer(ms: number, fn: () => void): () => void;
}

/** The process clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  timer(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(t);
  },
};

/**
 * The delete batching of the process (`cloud/delete-batcher.ts`): the
 * deletes running, and the coalescer of their DeleteImages calls.
 */
export interface DeleteBatching {
  /** The delete operations running (`deleteResource` begins and ends one each). */
  readonly capacity: DeleteCapacity;
  /** Groups the deletes' DeleteImages calls. */
  readonly coalescer: Coalescer<DeleteRequest>;
}

/** Everything the provider keeps per process. Replace the collections only through {@link resetProcess}. */
export interface ProcessState {
  /** The stack config kept by `configure`, only the keys the provider reads (`cloud/settings.ts`). */
  config: StackConfig;
  /**
   * Every secret value a resolved setting carried in this process, for redaction; in memory only (`cloud/settings.ts`).
   */
  readonly secretsSeen: Set<string>;
  /**
   * Endpoints (scheme, host and port) the last call to them could not reach: a call there that
   * cannot connect either gives up at its first attempt (`cloud/call.ts`).
   */
  readonly unreachableEndpoints: Set<string>;
  /** The SDK's generic client class, once loaded (`cloud/call.ts`); a class, never a client or a credential. */
  commonClient: CommonClientCtor | undefined;
  /** The request budgets, one per endpoint, account and action (`cloud/call.ts`, `cloud/budget.ts`). */
  readonly budgets: BudgetRegistry;
  /** The clock the image fleet's watchers run on (`cloud/describes.ts`). */
  readonly clock: Clock;
  /** The image fleet: one describe watcher per endpoint, account and region (`cloud/describes.ts`). */
  readonly watchers: Map<string, Watcher<ImageFacts, Settings>>;
  /** The delete batching, made at the first delete (`cloud/delete-batcher.ts`, which this module cannot import). */
  deletes: DeleteBatching | undefined;
  /** Refreshes, creates and deletes in flight: many at once share their describes (`cloud/describes.ts`). */
  operationsInFlight: number;
  /** The shared usage scans, by endpoint, account and region, with when each started (`cloud/usage.ts`). */
  readonly usageScans: Map<string, { at: number; result: Promise<UsageScan> }>;
  /**
   * Images a create of this process made or took as a resource's own, so that another resource with
   * the same name and source never takes one of them (`provider/create.ts`).
   */
  readonly claimedImages: Set<string>;
  /**
   * Images a create of this process took over because they already
   * had its name (`provider/create.ts`, `provider/delete.ts`).
   */
  readonly takenOver: Set<string>;
  /** Where warnings go; undefined until the first warning picks the default (`cloud/diagnostics.ts`). */
  warningSink: WarningSink | undefined;
}

/** What {@link resetProcess} takes (tests). */
export interface ResetOptions {
  /**
   * The clock of the image fleet's watchers (default: the system clock). The request budgets and the
   * delete batcher keep the system clock.
   */
  clock?: Clock;
}

function freshState(options: ResetOptions): ProcessState {
  return {
    config: {},
    secretsSeen: new Set(),
    unreachableEndpoints: new Set(),
    commonClient: undefined,
    budgets: new BudgetRegistry((action) => defaultPolicy(rateFor(action)), systemClock),
    clock: options.clock ?? systemClock,
    watchers: new Map(),
    deletes: undefined,
    operationsInFlight: 0,
    usageScans: new Map(),
    claimedImages: new Set(),
    takenOver: new Set(),
    warningSink: undefined,
  };
}

/**
 * The state of this process. The object stays the same for the life of the process; {@link resetProcess} refills it.
 */
export const processState: ProcessState = freshState({});

/**
 * Restores the whole process state to that of a fresh process: no stack config, no secrets seen,
 * no unreachable endpoint, fresh budgets, no watcher, delete batching or usage scan, no image
 * claimed or taken over, the default warning sink. Work in flight keeps the objects it holds.
 */
export function resetProcess(options: ResetOptions = {}): void {
  Object.assign(processState, freshState(options));
}
