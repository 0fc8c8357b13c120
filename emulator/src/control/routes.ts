/**
 * The control surface under `/_emulator/` (outside the Tencent protocol, for tests and tools):
 * health, accounts, calls, faults, reset, fixtures, settings and a state dump.
 */
import { EmulatorCore } from "../core";
import { FaultRuleInput } from "../load/faults";
import { FixtureAdditions } from "../models/fixtures";
import { ControlOutcome } from "../protocol/http";
import { applySettings, SettingsPatch } from "../settings";

const ok = (json: unknown): ControlOutcome => ({ status: 200, json });
const bad = (message: string, status = 400): ControlOutcome => ({ status, json: { error: message } });

function parseJson(body: Buffer): unknown {
  const text = body.toString("utf8").trim();
  return text === "" ? undefined : JSON.parse(text);
}

/** Every route, as `METHOD path`, for the 404 answer and the README. */
export const CONTROL_ROUTES = [
  "GET /_emulator/health",
  "GET /_emulator/accounts",
  "GET /_emulator/calls",
  "DELETE /_emulator/calls",
  "GET /_emulator/faults",
  "POST /_emulator/faults",
  "DELETE /_emulator/faults",
  "DELETE /_emulator/faults/<id>",
  "POST /_emulator/reset",
  "POST /_emulator/fixtures",
  "GET /_emulator/settings",
  "PATCH /_emulator/settings",
  "GET /_emulator/state",
];

/** Handle one control request. */
export async function handleControl(
  core: EmulatorCore,
  method: string,
  path: string,
  body: Buffer,
): Promise<ControlOutcome> {
  let input: unknown;
  try {
    input = parseJson(body);
  } catch {
    return bad("the body is not valid JSON");
  }
  const route = `${method} ${path.replace(/\/+$/, "")}`;
  try {
    switch (route) {
      case "GET /_emulator/health":
        return ok({
          status: "ok",
          uptimeMs: Date.now() - core.startedAt,
          regions: core.store.regions,
          accounts: core.store.accounts.length,
          statePath: core.statePath ?? null,
        });
      case "GET /_emulator/accounts":
        return ok({
          accounts: core.store.accounts.map((a) => ({ ...a })),
          defaultAccount: core.store.defaultAccount.name,
          defaultRegion: core.store.defaultRegion,
          regions: core.store.regions,
        });
      case "GET /_emulator/calls":
        return ok(core.calls.snapshot());
      case "DELETE /_emulator/calls":
        core.calls.clear();
        return ok({ cleared: true });
      case "GET /_emulator/faults":
        return ok({ faults: core.faults.list() });
      case "POST /_emulator/faults": {
        const rules = Array.isArray(input) ? input : [input];
        return ok({ ids: core.faults.add(rules as FaultRuleInput[]) });
      }
      case "DELETE /_emulator/faults":
        return ok({ removed: core.faults.remove() });
      case "POST /_emulator/reset":
        core.reset();
        return ok({ reset: true });
      case "POST /_emulator/fixtures": {
        const added = core.store.addFixtures((input ?? {}) as FixtureAdditions);
        core.persist();
        return ok({ added });
      }
      case "GET /_emulator/settings":
        return ok(core.settings);
      case "PATCH /_emulator/settings": {
        const next = structuredClone(core.settings);
        applySettings(next, (input ?? {}) as SettingsPatch);
        Object.assign(core.settings, next);
        return ok(core.settings);
      }
      case "GET /_emulator/state":
        core.store.settle();
        return ok(core.store.dump());
    }
    const fault = /^DELETE \/_emulator\/faults\/([\w-]+)$/.exec(route);
    if (fault) return core.faults.remove(fault[1]) ? ok({ removed: 1 }) : bad(`no fault ${fault[1]}`, 404);
    return bad(`no route ${route}; routes: ${CONTROL_ROUTES.join(", ")}`, 404);
  } catch (e) {
    return bad((e as Error).message);
  }
}
