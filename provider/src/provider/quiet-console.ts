/**
 * Drops, from `console.error`, the echo Pulumi's dynamic-provider host prints for an error the
 * provider made quiet (see `provider/errors.ts`): the engine already shows the error on its resource.
 * Installed once, and only in the dynamic-provider host process.
 */
import { QUIET_ECHO } from "./errors";
import { engineAddress } from "../cloud/diagnostics";

const INSTALLED = Symbol.for("pulumi-tencentcloud-images.quiet-console");

/**
 * Wraps `target.error` so that a call whose only argument is the host's echo of a quiet error
 * ({@link QUIET_ECHO}) prints nothing; every other call passes through unchanged. Idempotent.
 */
export function installQuietConsole(target: Pick<Console, "error"> = console): void {
  const marked = target as Pick<Console, "error"> & { [INSTALLED]?: true };
  if (marked[INSTALLED]) return;
  const original = target.error.bind(target);
  target.error = (...args: unknown[]) => {
    if (args.length === 1 && args[0] === QUIET_ECHO) return;
    original(...args);
  };
  marked[INSTALLED] = true;
}

/** Installs the filter when this process is the dynamic-provider host (never in tests or library use). */
export function quietConsoleInHost(argv: readonly string[] = process.argv): void {
  if (engineAddress(argv)) installQuietConsole();
}
