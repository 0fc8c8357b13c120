/**
 * What changed outside the stack, in words, for the warnings a refresh, a preview and an up show
 * on the resource: field by field (from the property table's cloud and share outputs), what
 * `pulumi up` puts back, and what becomes of shares made outside the stack (`up` leaves them; the
 * delete follows `deletionPolicy.unmanagedShares`).
 */
import { INPUT_KEYS, PROPERTIES, PROPERTY_KEYS } from "../schema/properties";
import type { Copies } from "../schema/types";
import { accounts } from "./deletion-rules";
import { imageLabel } from "./messages-rules";
import { containsUnknown, type DeletionPolicy } from "../schema/types";

type Rec = Record<string, unknown>;

/**
 * Outputs the cloud can change out of band: the table's cloud and share rows (ids and creation
 * facts excluded), but not `unmanagedShares`, which {@link unmanagedSharesWarning} speaks of.
 */
const DRIFTABLE = PROPERTY_KEYS.filter((k) => {
  const from = PROPERTIES[k].output;
  return (
    (from === "cloud" || from === "shares") && !["imageId", "createdTime", "imageType", "unmanagedShares"].includes(k)
  );
});

/** The drifted outputs `pulumi up` sets back to the program's values: the inputs. */
const PUT_BACK: ReadonlySet<string> = new Set<string>(INPUT_KEYS);

function show(v: unknown): string {
  if (v === undefined || v === null || v === "") return "(none)";
  if (Array.isArray(v)) return v.length ? v.join(", ") : "(none)";
  if (typeof v === "object") {
    const entries = Object.entries(v as Rec);
    return entries.length ? entries.map(([k, x]) => `${k}=${String(x)}`).join(", ") : "(none)";
  }
  return JSON.stringify(v);
}

function same(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return [...v].map(norm).sort();
    if (v && typeof v === "object")
      return Object.fromEntries(
        Object.entries(v as Rec)
          .sort(([x], [y]) => x.localeCompare(y))
          .map(([k, x]) => [k, norm(x)]),
      );
    return v ?? "";
  };
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/**
 * The outputs that differ between the recorded and the refreshed outputs, each with its line: `imageName: "a" → "b"`.
 */
function drifted(recorded: Rec, refreshed: Rec): Array<{ key: string; line: string }> {
  if (!("imageId" in recorded)) return []; // nothing recorded yet (a lookup by id): no drift to speak of
  // not in recorded: an older version's state
  return DRIFTABLE.filter((key) => key in recorded && !same(recorded[key], refreshed[key])).map((key) => ({
    key,
    line: `${key}: ${show(recorded[key])} → ${show(refreshed[key])}`,
  }));
}

/**
 * The refresh warning listing what changed outside the stack, and what `pulumi up` puts back;
 * undefined when nothing did. Shares made outside the stack are {@link unmanagedSharesWarning}'s.
 */
export function driftWarning(imageId: string, recorded: Rec, refreshed: Rec): string | undefined {
  const changes = drifted(recorded, refreshed);
  if (!changes.length) return undefined;
  const label = imageLabel(imageId, typeof refreshed.imageName === "string" ? refreshed.imageName : undefined);
  const putBack = changes.filter((c) => PUT_BACK.has(c.key)).map((c) => c.key);
  const advice = putBack.length
    ? ` Run \`pulumi up\` to put the program's ${putBack.join(", ")} back, or change the program to match.`
    : "";
  return (
    `${label} changed outside the stack; the state now records it: ` +
    `${changes.map((c) => c.line).join("; ")}.${advice}`
  );
}

/**
 * The warning for the shares made outside the stack (`unmanagedShares`): `pulumi up` leaves them
 * in place, and what the delete will do with them under `deletionPolicy`, with the ways forward
 * when it is blocked; undefined when there are none.
 */
export function unmanagedSharesWarning(imageId: string, outputs: Rec): string | undefined {
  const shares = Array.isArray(outputs.unmanagedShares)
    ? outputs.unmanagedShares.filter((a): a is string => typeof a === "string")
    : [];
  if (!shares.length) return undefined;
  const label = imageLabel(imageId, typeof outputs.imageName === "string" ? outputs.imageName : undefined);
  const one = shares.length === 1;
  const them = one ? "it" : "them";
  const fate = unmanagedSharesFate(shares.length, outputs.deletionPolicy);
  if (!fate.blocked) return `${label} is shared with ${accounts(shares)} outside the stack; ${fate.text}.`;
  return (
    `${label} is shared with ${accounts(shares)} outside the stack; ${fate.text}. ` +
    `Either add the account${one ? "" : "s"} to sharedWith, so the stack manages the share${one ? "" : "s"} and ` +
    `cancels ${them} on delete, ` +
    `or set deletionPolicy: { unmanagedShares: "unshare" } and run \`pulumi up\`, so the delete cancels ${them}.`
  );
}

/**
 * What becomes of `count` shares made outside the stack, in words: `pulumi up` leaves them in
 * place, and deleting the image is blocked by them or cancels them first, by `policy`.
 */
function unmanagedSharesFate(count: number, policy: unknown): { blocked: boolean; text: string } {
  const kept = `\`pulumi up\` leaves ${count === 1 ? "that share" : "those shares"} in place`;
  if ((policy as Partial<DeletionPolicy> | undefined)?.unmanagedShares === "unshare") {
    return {
      blocked: false,
      text:
        `${kept}, and deleting the image will cancel ${count === 1 ? "it" : "them"} first ` +
        `(deletionPolicy.unmanagedShares = "unshare")`,
    };
  }
  return {
    blocked: true,
    text: `${kept}, and deleting the image will be blocked (deletionPolicy.unmanagedShares = "block")`,
  };
}

/**
 * The warning of a preview or an up about shares made outside the stack, as the new inputs leave
 * them: those the new `sharedWith` does not take over, under the new `deletionPolicy`.
 */
export function unmanagedSharesAfterUpWarning(imageId: string, olds: Rec, news: Rec): string | undefined {
  const wanted = Array.isArray(news.sharedWith) && !containsUnknown(news.sharedWith) ? news.sharedWith : [];
  const outside = Array.isArray(olds.unmanagedShares) ? olds.unmanagedShares.filter((a) => !wanted.includes(a)) : [];
  return unmanagedSharesWarning(imageId, { ...olds, unmanagedShares: outside, deletionPolicy: news.deletionPolicy });
}

/**
 * The refresh warnings about the copies: a copy gone (the next `pulumi up` copies again), managed
 * shares cancelled outside the stack, and new shares made outside the stack (left by `pulumi up`;
 * blocking the delete, or cancelled by it, by `policy`, the recorded `deletionPolicy`). Empty when
 * nothing changed.
 */
export function copyDriftWarnings(
  sourceId: string,
  imageName: string | undefined,
  recorded: Copies,
  refreshed: Copies,
  sharedWith: readonly string[],
  policy: unknown,
): string[] {
  const label = imageLabel(sourceId, imageName);
  const out: string[] = [];
  for (const [region, was] of Object.entries(recorded)) {
    const now = refreshed[region];
    if (!now) {
      out.push(
        `${label}: its copy ${was.imageId} in ${region} no longer exists (deleted outside the stack); \`pulumi up\` ` +
          `copies the image to ${region} again.`,
      );
      continue;
    }
    const lost = sharedWith.filter((a) => !now.sharedWith.includes(a));
    if (lost.length)
      out.push(
        `${label}: its copy ${now.imageId} in ${region} is no longer shared with ${accounts(lost)}; \`pulumi up\` ` +
          `shares it again.`,
      );
    const added = now.unmanagedShares.filter((a) => !was.unmanagedShares.includes(a));
    if (added.length) {
      const fate = unmanagedSharesFate(added.length, policy);
      const until = fate.blocked
        ? ` until ${added.length === 1 ? "it is" : "they are"} cancelled or deletionPolicy.unmanagedShares is "unshare"`
        : "";
      out.push(
        `${label}: its copy ${now.imageId} in ${region} is shared with ${accounts(added)} outside the stack; ` +
          `${fate.text}${until}.`,
      );
    }
  }
  return out;
}
