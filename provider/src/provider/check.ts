/** `check`: validates and defaults the inputs (rules in `check-rules.ts`); no cloud call. */
import { createHash, randomBytes } from "crypto";
import { defaultRegion } from "../cloud/settings";
import { storedInputs } from "../schema/stored";
import { checkInputs, type CheckFailure } from "./check-rules";
import { engineCheckFailures } from "./errors";
import type { Rec } from "./common";

/**
 * The checked inputs as stored, and the refused ones as one failure in the engine's shape (see `engineCheckFailures`).
 */
export function checkResource(olds: Rec, news: Rec): { inputs: Rec; failures: CheckFailure[] } {
  const { inputs, failures } = checkInputs(olds ?? {}, news ?? {}, {
    defaultRegion: defaultRegion(undefined, undefined, typeof news?.profile === "string" ? news.profile : undefined),
    randomHex: (seed) =>
      seed === undefined ? randomBytes(4).toString("hex") : createHash("sha256").update(seed).digest("hex").slice(0, 8),
  });
  return { inputs: storedInputs(inputs), failures: engineCheckFailures(failures) };
}
