/**
 * The emulator's state and machinery in one object: the store, settings, fault injector,
 * rate limiter and call log, with persistence and reset. The HTTP layers act on it.
 */
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
    readonly randomSeed: number,
    readonly statePath: string | undefined,
    saved: StateFile | undefined,
  ) {
    this.store = new Store((saved ?? seed) as Dataset, randomSeed);
    this.faults = new FaultInjector(randomSeed);
  }

  /** Write the state file, when there is one. */
  persist(): void {
    if (this.statePath) saveState(this.statePath, this.store.dump());
  }

  /** Back to the seed: data, settings as at start, no faults, empty call log, fresh rate-limit buckets. */
  reset(): void {
    this.store.rng.snapshot = this.randomSeed;
    this.store.load(this.seed as Dataset);
    Object.assign(this.settings, structuredClone(this.initialSettings));
    this.faults.remove();
    this.calls.clear();
    this.limiter.clear();
    this.persist();
  }
}
