/** Starting and stopping an emulator in-process. */
import type { Server } from "node:http";
import { handleControl } from "./control/routes";
import { EmulatorCore, SeedInput } from "./core";
import { DEFAULT_FIXTURES_PATH, readJsonFile } from "./models/fixtures";
import { loadState } from "./models/persistence";
import { Account } from "./models/types";
import { handleApiRequest } from "./protocol/api";
import { close, listen } from "./protocol/http";
import {
  applySettings,
  BehaviourSettings,
  defaultSettings,
  EmulatorSettings,
  LimitSettings,
  TimingSettings,
} from "./settings";

/** An account of the emulator. */
export type EmulatorAccount = Account;

/** Options of `startEmulator`; every field optional. */
export interface EmulatorOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /** Keep state in this file: loaded on start when it exists, written atomically after every change and on stop. */
  statePath?: string;
  /** A fixture file replacing the default fixtures (`emulator/fixtures/default.json`). */
  seedPath?: string;
  /** Fixtures given as an object (wins over `seedPath`). */
  fixtures?: SeedInput;
  /** Per-action rate limits at the documented rates. Default true. */
  rateLimits?: boolean;
  /** Added latency per API call, ms. Default 0. */
  latencyMs?: number;
  /** Transition and deletion-lag times, ms. Defaults 1500/1500/1500/500. */
  timing?: Partial<TimingSettings>;
  /**
   * Limits. Defaults: maxDeleteBatch 100, maxShareAccountsPerCall 100,
   * shareCapPerImage 500, imageQuota 500, maxDescribeImageIds 100.
   */
  limits?: Partial<LimitSettings>;
  /** Choices for the contract's uncertain facts (see README). */
  behaviour?: Partial<BehaviourSettings>;
  /** Images whose name contains one of these end in CREATEFAILED / IMPORTFAILED. */
  failImageNamesContaining?: string[];
  /** Requests per second per action, overriding the documented rates. */
  rateOverrides?: Record<string, number>;
  /**
   * Seed of the random generators: ids and fault probabilities then repeat run after run, and a reset
   * starts the ids over. Default: fault probabilities from seed 1, ids from a random start (never the
   * ids of an earlier run).
   */
  randomSeed?: number;
  /** Allowed X-TC-Timestamp skew, seconds. Default 300. */
  signatureTolerance?: number;
}

/** Environment variables that point a client at the emulator. */
export interface EmulatorEnv {
  /** The account's SecretId. */
  TENCENTCLOUD_SECRET_ID: string;
  /** The account's SecretKey. */
  TENCENTCLOUD_SECRET_KEY: string;
  /**
   * Always `""`: the emulator's keys are permanent, and an exported real
   * session token would make every call fail with AuthFailure.TokenFailure.
   */
  TENCENTCLOUD_SESSION_TOKEN: string;
  /**
   * Always `""`, for the same reason: the official provider's
   * name of the session token, which the provider reads first.
   */
  TENCENTCLOUD_SECURITY_TOKEN: string;
  /** The data set's default region. */
  TENCENTCLOUD_REGION: string;
  /** The emulator's URL, `http://host:port`. */
  TENCENTCLOUD_CVM_ENDPOINT: string;
}

/** A running emulator. */
export interface RunningEmulator {
  /** e.g. `http://127.0.0.1:43121` */
  url: string;
  /** e.g. `127.0.0.1:43121` (the SDK's `httpProfile.endpoint`, used with protocol `http://`) */
  endpoint: string;
  /** The port the server listens on (the one asked for, or the one the system chose for port 0). */
  port: number;
  /** Every account of the data set, with its keys. */
  accounts: EmulatorAccount[];
  /** The default account (`alice` with the default fixtures). */
  defaultAccount: EmulatorAccount;
  /** `ap-guangzhou` with the default fixtures. */
  defaultRegion: string;
  /** Credentials and endpoint for an account (default: the default account). */
  env(accountName?: string): EmulatorEnv;
  /** Close the server; saves state when `statePath` is set. */
  stop(): Promise<void>;
  /** Live settings (the same object `PATCH /_emulator/settings` changes). */
  settings: EmulatorSettings;
}

/** Settings from options, over the defaults. */
export function settingsFromOptions(o: EmulatorOptions): EmulatorSettings {
  const s = defaultSettings();
  applySettings(s, {
    timing: o.timing,
    limits: o.limits,
    behaviour: o.behaviour,
    rateLimits: o.rateLimits,
    latencyMs: o.latencyMs,
    failImageNamesContaining: o.failImageNamesContaining,
    rateOverrides: o.rateOverrides,
    signatureToleranceSec: o.signatureTolerance,
  });
  return s;
}

/** Start an emulator in this process. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const settings = settingsFromOptions(options);
  const seed = options.fixtures ?? (readJsonFile(options.seedPath ?? DEFAULT_FIXTURES_PATH) as SeedInput);
  const saved = options.statePath ? loadState(options.statePath) : undefined;
  const core = new EmulatorCore(
    seed,
    settings,
    structuredClone(settings),
    options.randomSeed,
    options.statePath,
    saved,
  );
  core.persist();
  const host = options.host ?? "127.0.0.1";
  const { server, port } = await listen(
    { api: (req) => handleApiRequest(core, req), control: (m, p, b) => handleControl(core, m, p, b) },
    host,
    options.port ?? 0,
  );
  return running(core, server, host, port);
}

function running(core: EmulatorCore, server: Server, host: string, port: number): RunningEmulator {
  const hostPart = host.includes(":") ? `[${host}]` : host;
  const endpoint = `${hostPart}:${port}`;
  const url = `http://${endpoint}`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    endpoint,
    port,
    get accounts() {
      return core.store.accounts.map((a) => ({ ...a }));
    },
    get defaultAccount() {
      return { ...core.store.defaultAccount };
    },
    get defaultRegion() {
      return core.store.defaultRegion;
    },
    settings: core.settings,
    env(accountName?: string): EmulatorEnv {
      const account =
        accountName === undefined
          ? core.store.defaultAccount
          : core.store.accounts.find((a) => a.name === accountName || a.uin === accountName);
      if (!account) throw new Error(`no emulator account ${accountName}`);
      return {
        TENCENTCLOUD_SECRET_ID: account.secretId,
        TENCENTCLOUD_SECRET_KEY: account.secretKey,
        TENCENTCLOUD_SESSION_TOKEN: "",
        TENCENTCLOUD_SECURITY_TOKEN: "",
        TENCENTCLOUD_REGION: core.store.defaultRegion,
        TENCENTCLOUD_CVM_ENDPOINT: url,
      };
    },
    stop() {
      stopped ??= close(server).then(() => {
        core.store.settle();
        core.persist();
      });
      return stopped;
    },
  };
}
