/**
 * `--show-secrets`: the values a preview masks, read back from the stack's state as
 * `pulumi stack export --show-secrets` prints it (pure).
 */
import type { PreviewDigest, ResourceState } from "./plan-shape";
import { findOpaque } from "./sentinels";

/** Signature key and value of a serialized secret in a state export. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SIG_SECRET = "1b47061264138c4ac30d75fd1eb44270";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Replaces every exported secret (`{<sig>: <secret sig>, plaintext: "<JSON>"}`) by its value. A secret
 * still encrypted (`ciphertext`, exported without `--show-secrets`) stays as it is.
 */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (!isObject(value)) return value;
  if (value[SIG_KEY] === SIG_SECRET && typeof value.plaintext === "string") {
    try {
      return unwrapSecrets(JSON.parse(value.plaintext));
    } catch {
      return value;
    }
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
}

/** The resources of a state export (`deployment.resources`), secrets unwrapped. */
export function exportedResources(doc: unknown): ResourceState[] {
  const resources = isObject(doc) && isObject(doc.deployment) ? doc.deployment.resources : undefined;
  if (!Array.isArray(resources)) return [];
  return resources
    .filter((r): r is ResourceState => isObject(r) && typeof r.urn === "string")
    .map((r) => unwrapSecrets(r) as ResourceState);
}

const masked = (state: ResourceState): boolean =>
  findOpaque({ inputs: state.inputs, outputs: state.outputs }, "").length > 0;

/**
 * Fills in the masked inputs and outputs of the plan's old states (what deletions delete) from the
 * exported resources with the same URN and id. Returns the plan, changed in place, and how many
 * states were filled in.
 */
export function revealOldStates(
  digest: PreviewDigest,
  resources: ResourceState[],
): { digest: PreviewDigest; revealed: number } {
  let revealed = 0;
  for (const step of digest.steps) {
    const old = step.oldState;
    if (!old || !masked(old)) continue;
    const match = resources.find((r) => r.urn === old.urn && r.id === old.id && !masked(r));
    if (!match) continue;
    step.oldState = { ...old, inputs: match.inputs, outputs: match.outputs };
    revealed++;
  }
  return { digest, revealed };
}
