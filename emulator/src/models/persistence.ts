/** The state file: written atomically (temporary file, then rename), read back on start. */
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { readJsonFile } from "./fixtures";
import { StateFile } from "./types";

/** Write the state file atomically. */
export function saveState(file: string, state: StateFile): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}

/** The saved state, or undefined when the file does not exist yet. */
export function loadState(file: string): StateFile | undefined {
  if (!existsSync(file)) return undefined;
  const data = readJsonFile(file);
  if (data.format !== "cvm-emulator-state/1")
    throw new Error(`${file}: not a cvm-emulator state file (format ${String(data.format)})`);
  return data as unknown as StateFile;
}
