/**
 * `diff`: the exact diff (rules in `diff-rules.ts`), with a field-level `detailedDiff` in the
 * engine's `{kind, inputDiff}` shape. The dynamic-provider host of @pulumi/pulumi (3.248 included)
 * sends the engine only `changes`, `replaces` and `deleteBeforeReplace`: its DiffResult has no
 * detailed diff, so the engine drops this one and shows its own diff of old and new inputs instead.
 *
 * Warns on the resource, at a preview and an up, about what that diff shows poorly: the accounts a
 * change to `sharedWith` adds or removes, and the shares made outside the stack as the new inputs
 * leave them. The engine also diffs at a refresh (the refreshed outputs against the recorded
 * inputs), after `read` has warned: the engine's sink shows each warning once.
 */
import { withInputDefaults, withOutputDefaults } from "../schema/stored";
import type { CheckedInputs, CustomImageState } from "../schema/types";
import { diffState, sharedWithChangeWarning, type PropertyDiff } from "./diff-rules";
import { unmanagedSharesAfterUpWarning } from "./drift-rules";
import { warnOn, type Rec } from "./common";

/** What the engine receives from `diff`. */
export interface DiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  detailedDiff: Record<string, PropertyDiff>;
}

/** The URN the resource class passed, where warnings are shown. */
export function urnOf(props: Rec): string | undefined {
  return typeof props.resourceUrn === "string" && props.resourceUrn.startsWith("urn:") ? props.resourceUrn : undefined;
}

/** Diffs the stored outputs against the checked inputs, and warns on the resource about share changes. */
export async function diffResource(id: string, olds: Rec, news: Rec): Promise<DiffResult> {
  olds = withOutputDefaults(olds);
  news = withInputDefaults(news);
  const d = diffState(olds as Partial<CustomImageState> & Rec, news as Partial<CheckedInputs> & Rec);
  const texts = [sharedWithChangeWarning(olds, news), unmanagedSharesAfterUpWarning(id, olds, news)];
  for (const text of texts) if (text) await warnOn(urnOf(news) ?? urnOf(olds), text);
  const { changes, replaces, deleteBeforeReplace, detailedDiff } = d;
  return { changes, replaces, deleteBeforeReplace, detailedDiff };
}
