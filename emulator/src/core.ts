/**
 * The emulator's state and machinery in one object: the store, settings, fault injector,
 * rate limiter and call log, with persistence and reset. The HTTP layers act on it.
 */
import { randomInt } from "node:crypto";
import { CallLog } from "./control/calls";
import { FaultInjector } from "./load/faults";
import { RateLimiter } from "./load/rate-limits";
import { FixtureAdditions } from "./models/fixtures";
import { saveState } from "./models/persistence";
import { Store } from "./models/store";
import { Dataset, StateFile } from "./models/types";
import { EmulatorSettings } from "./settings";

/** A seed: the fixture format (lists optional, owners by name or uin). */
export type SeedInput = FixtureAdditions & {
  /** Name or uin of the account `env()` and the CLI print. Default: the first account. */
  defaultAccount?: string;
  /** Region `env()` and the CLI print. Default: the first region. */
  defaultRegion?: string;
};

/** The fault generator's seed when none is given, so fault probabilities repeat run after run. */
export const DEFAULT_FAULT_SEED = 1;

/**
 * A random start for the id sequence when no seed is given: an emulator restarted without its state
 * file must not hand out the ids an earlier run did (a stack's stale state would then name another
 * stack's image).
 */
export function freshIdSeed(): number {
  return randomInt(1, 2 ** 32 - 1);
}

export class EmulatorCore {
  readonly store: Store;
  readonly faults: FaultInjector;
  readonly limiter = new RateLimiter();
  readonly calls = new CallLog();
  readonly startedAt = Date.now();

  constructor(
    readonly seed: SeedInput,
    /** Live settings. */
    readonly settings: EmulatorSettings,
    private readonly initialSettings: EmulatorSettings,
    /** The seed given (ids and fault probabilities repeat run after run); absent: ids start from a random point. */
    readonly randomSeed: number | undefined,
    readonly statePath: string | undefined,
    saved: StateFile | undefined,
  ) {
    this.store = new Store((saved ?? seed) as Dataset, randomSeed ?? freshIdSeed());
    this.faults = new FaultInjector(randomSeed ?? DEFAULT_FAULT_SEED);
  }

  /** Write the state file, when there is one. */
  persist(): void {
    if (this.statePath) saveState(this.statePath, this.store.dump());
  }

  /** Back to the seed: data, settings as at start, no faults, empty call log, fresh rate-limit buckets. */
  reset(): void {
    // Ids start over only under a seed given on purpose: otherwise they go on, so a state kept from
    // before the reset cannot name an image made after it.
    if (this.randomSeed !== undefined) this.store.rng.snapshot = this.randomSeed;
    this.store.load(this.seed as Dataset);
    Object.assign(this.settings, structuredClone(this.initialSettings));
    this.faults.remove();
    this.calls.clear();
    this.limiter.clear();
    this.persist();
  }
}
