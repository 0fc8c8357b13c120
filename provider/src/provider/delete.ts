/**
 * `delete`: find the image; refuse what is not this account's custom image; wait out busy states;
 * cancel shares by policy; DeleteImages; wait until it no longer shows. The image's copies in other
 * regions go first, by the same sequence and policy. Every step is safe to
 * repeat, so a failed delete can simply be retried. A delete that stops after it cancelled shares
 * (and before DeleteImages was accepted) shares them again first, so the cloud matches the state.
 */
import { ApiError } from "../cloud/call";
import { credentialNextStep, isAuthFailure } from "../cloud/credentials-rules";
import { deleteCapacity } from "../cloud/delete-batcher";
import { deleteImage } from "../cloud/images";
import { DELETE_CROWD_SHARE_WINDOW_MS, DESCRIBE_SHARE_WINDOW_MS, describeImageNow } from "../cloud/describes";
import { processState } from "../cloud/process";
import { modifyShares } from "../cloud/sharing";
import { tccliEndpoints, type Settings } from "../cloud/settings";
import {
  accounts,
  copySpec,
  DeleteSpec,
  DeletionDecision,
  deleteSpecFromOutputs,
  deleteTimeoutMs,
  PlannedImage,
} from "./deletion-rules";
import { observeDeletion, type Observed } from "./deletion";
import { copyLabel } from "./copies-rules";
import type { ImageCopy } from "../schema/types";
import { formatDuration } from "../schema/durations";
import { imageLabel, operationFailure, restoredSharesText } from "./messages-rules";
import type { ImageFacts } from "../schema/types";
import { isCredentialRefusal } from "../cloud/errors";
import { causeOf, isImageNotFound, Rec, settingsFor, waitForImage, waitSettled, warnOn } from "./common";
import { WaitTimeout, DeleteStopped, ImageGone } from "./errors";
import { Journal } from "./steps";

/**
 * True when a create of this process (`provider/create.ts`) took the image over as its own because it already had the
 * resource's name, source and attributes: a resource renamed without `aliases` looks exactly so,
 * and the delete of its old name must then leave the image to the new one.
 */
export function wasTakenOver(imageId: string): boolean {
  return processState.takenOver.has(imageId);
}

/** How many times a delete re-plans after the cloud changed under it (a share or a state appeared). */
const MAX_ROUNDS = 3;

export async function deleteResource(id: string, props: Rec): Promise<void> {
  const spec: DeleteSpec = { ...deleteSpecFromOutputs(id, props), endpoints: tccliEndpoints() };
  const deadline = Date.now() + deleteTimeoutMs(spec);
  const urn = typeof props.resourceUrn === "string" ? props.resourceUrn : undefined;
  if (wasTakenOver(id)) {
    // A create of this run took the image over (a rename without aliases): it is the new resource's now.
    await warnOn(
      urn,
      `${imageLabel(id, spec.imageName, spec.region)} was not deleted: another resource of this stack took it over ` +
        `in this run (same name, source and attributes, as after a rename without \`aliases\`), and keeps it. Add ` +
        `\`aliases\` to such renames.`,
    );
    return;
  }
  const copies = Object.entries(spec.copies).map(([region, copy]) => ({ region, copy }));
  if (copies.length) await deleteCopies(spec, copies, deadline, urn, { withImage: true });
  await deleteOne(spec, deadline, urn);
}

/** One copy of the image to delete. */
export interface CopyToDelete {
  region: string;
  copy: ImageCopy;
}

/**
 * Deletes copies of the image (all of them before the image itself, or a region's that `copyTo`
 * no longer lists), each with the image's sequence and policy. Before anything changes, every copy
 * (and, `withImage`, the image) is planned from what the cloud shows, so one that the policy
 * blocks (e.g. a copy shared outside the stack) stops them all with nothing changed.
 */
export async function deleteCopies(
  spec: DeleteSpec,
  copies: readonly CopyToDelete[],
  deadline: number,
  urn: string | undefined,
  o: { withImage: boolean },
): Promise<void> {
  const specs = copies.map(({ region, copy }) => ({
    label: copyLabel(spec.imageId, region, copy.imageId),
    spec: copySpec(spec, region, copy),
  }));
  const planned = o.withImage
    ? [...specs, { label: imageLabel(spec.imageId, spec.imageName, spec.region), spec }]
    : specs;
  const blocked = (
    await Promise.all(planned.map(async (p) => ({ ...p, plan: await decideNow(p.spec, deadline) })))
  ).filter((p) => p.plan?.outcome === "blocked");
  if (blocked.length) {
    throw new Error(
      operationFailure({
        operation: "delete",
        imageId: spec.imageId,
        imageName: spec.imageName,
        region: spec.region,
        cause: blocked.map((b) => `${b.label}: ${b.plan!.reasons.join("; ")}`).join("; "),
        done: [],
        next:
          [...new Set(blocked.flatMap((b) => b.plan!.nextSteps))].join("; ") ||
          "fix the cause, then run the command again",
      }),
    );
  }
  const results = await Promise.allSettled(specs.map((c) => deleteOne(c.spec, deadline, urn)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

/**
 * The decision on one image's deletion from what the cloud shows now (read-only); undefined when it
 * cannot be read (its own delete then finds out).
 */
async function decideNow(spec: DeleteSpec, deadline: number): Promise<DeletionDecision | undefined> {
  const s = settingsFor(spec.region, { profile: spec.profile, operation: "delete" });
  return observeDeletion(s, spec, { deadline }).then(
    (o) => o.decision,
    () => undefined,
  );
}

/**
 * Deletes one image (the resource's, one of its copies, or one an `ImageRetention` retires): its
 * journal, and the shares it puts back when it stops.
 */
export async function deleteOne(spec: DeleteSpec, deadline: number, urn: string | undefined): Promise<void> {
  const s = settingsFor(spec.region, { profile: spec.profile, operation: "delete" });
  const journal = new DeleteJournal(spec);
  deleteCapacity.begin();
  try {
    await runDelete(s, spec, deadline, journal, urn);
  } catch (e) {
    if (e instanceof ImageGone) return;
    const stop = e instanceof DeleteStopped ? e : journal.stopFor(e);
    const restored = await journal.restoreCancelledShares();
    if (restored === "gone") return;
    throw new Error(
      operationFailure({
        operation: "delete",
        imageId: spec.imageId,
        imageName: journal.name,
        region: spec.region,
        cause: stop.reason,
        done: journal.lines(),
        next: restored === "failed" ? journal.afterFailedRestore() : stop.next,
      }),
    );
  } finally {
    deleteCapacity.end();
  }
}

/**
 * The delete's {@link Journal}: what it has done so far, and the shares it cancelled, which it puts back (its undo
 * action) when it stops before DeleteImages was accepted.
 */
class DeleteJournal extends Journal {
  name: string;
  /** Accounts whose share this delete cancelled. */
  readonly cancelled: string[] = [];
  private restore: { outcome: "restored" | "failed"; cause?: string } | undefined;
  readonly retryHint =
    "run the command again (`pulumi destroy` / `pulumi up`); the delete resumes from where it stopped";

  /** Stops the delete for a failed step; a refusal of the credentials needs its cause fixed before running again. */
  stopFor(e: unknown): DeleteStopped {
    const refused = e instanceof ApiError && isCredentialRefusal(e.code);
    // Refused keys: the fix names the command that uses the right
    // config (`--run-program` for recorded stack config keys).
    const fix =
      e instanceof ApiError && isAuthFailure(e.code) ? credentialNextStep(e.credentials, e.operation) : undefined;
    return new DeleteStopped(
      causeOf(e),
      fix
        ? `${fix}; the delete resumes from where it stopped`
        : refused
          ? `fix the cause, then ${this.retryHint}`
          : this.retryHint,
    );
  }

  constructor(private readonly spec: DeleteSpec) {
    super();
    this.name = spec.imageName;
  }

  private split(list: readonly string[]) {
    const managed = new Set(this.spec.sharedWith);
    return { managed: list.filter((a) => managed.has(a)), unmanaged: list.filter((a) => !managed.has(a)) };
  }

  /** Journal lines for the message: the shares cancelled (and whether they were put back) first. */
  override lines(): string[] {
    const done = super.lines();
    if (!this.cancelled.length) return done;
    if (this.restore?.outcome === "restored") {
      const { managed, unmanaged } = this.split(this.cancelled);
      return [restoredSharesText(managed, unmanaged), ...done];
    }
    const lines = [`cancelled sharing with ${accounts(this.cancelled)}`, ...done];
    if (this.restore?.outcome === "failed") lines.push(`sharing them again failed (${this.restore.cause})`);
    return lines;
  }

  /** The way forward when the shares could not be put back: the state still lists them. */
  afterFailedRestore(): string {
    return (
      "the state still lists the cancelled shares: run `pulumi refresh` (it records that they are gone), then " +
      "`pulumi up` to share them again; " +
      `or, to go on deleting, ${this.retryHint}`
    );
  }

  /**
   * Records shares cancelled (`chunk`); the first registers their restore as the undo action: sharing again
   * every account cancelled by then (at least a minute allowed, past the deadline).
   */
  cancelledShares(s: Settings, deadline: number, chunk: readonly string[]): void {
    const first = !this.cancelled.length;
    this.cancelled.push(...chunk.filter((a) => !this.cancelled.includes(a)));
    if (!first || !this.cancelled.length) return;
    this.onUndo("share again the cancelled shares", async () => {
      await modifyShares(s, this.spec.imageId, [...this.cancelled], "SHARE", {
        deadline: Math.max(deadline, Date.now() + 60_000),
      });
    });
  }

  /** DeleteImages was accepted (`line`): the cancelled shares are no longer put back. */
  deleteAccepted(line: string): void {
    this.clearUndo();
    this.done(line);
  }

  /**
   * Shares again what this delete cancelled (its undo action), unless DeleteImages was accepted. "gone" when
   * the image no longer exists (the delete is then done after all).
   */
  async restoreCancelledShares(): Promise<"none" | "restored" | "failed" | "gone"> {
    if (!this.hasUndo()) return "none";
    const [failed] = await this.undo();
    if (failed && isImageNotFound(failed.error)) return "gone";
    this.restore = failed ? { outcome: "failed", cause: causeOf(failed.error) } : { outcome: "restored" };
    return this.restore.outcome;
  }
}

/**
 * The delete steps; throws Stop (with the way forward), Gone, or an unexpected error.
 *
 * Every round starts with a look at the image ({@link observeDeletion}; the first describe is shared
 * with the process's other describes) and its decision: gone, another image than the state recorded
 * (see `provider/deletion-rules.ts`), another account's, busy, or blocked by the policy, it is
 * decided before anything changes. One whose state holds managed shares has its shares listed, so a
 * blocking policy changes nothing; any other image goes to DeleteImages on the presumption that it
 * is not shared, after only the usage scan that `deletionPolicy.inUse` needs (instances, launch
 * templates, launch configurations; one per account and region, shared by the operation's
 * deletes). The cloud's refusals correct the presumption: a shared image (InvalidImageId.InShared)
 * or a busy one is looked at again (its shares listed) and the policy applied.
 */
async function runDelete(
  s: Settings,
  spec: DeleteSpec,
  deadline: number,
  journal: DeleteJournal,
  urn: string | undefined,
): Promise<void> {
  const warned = new Set<string>();
  // The first look may wait to share its call: an operation that deletes one image deletes many
  // (a moment while few are in flight; with many, until their next look, at most half a second while
  // more than eight run: DELETE_CROWD_SHARE_WINDOW_MS). With no managed share,
  // nothing is listed first (InShared corrects that presumption); shares the caller just listed are used as they are.
  let look: Look = {
    describe: describeOrStop(s, spec.imageId, journal, {
      shareWithinMs: DESCRIBE_SHARE_WINDOW_MS,
      paced: true,
      crowd: DELETE_CROWD_SHARE_WINDOW_MS,
    }),
    shares: spec.knownShares ?? (spec.sharedWith.length === 0 ? [] : undefined),
  };
  for (let round = 1; ; round++) {
    const { decision, image } = await lookAt(s, spec, deadline, journal, look);
    if (image && decision.exists) journal.name = image.imageName || journal.name;
    if (decision.outcome === "gone") return noteGone(spec, decision, urn);
    if (decision.outcome === "blocked") {
      // What was done (shares cancelled in an earlier round are put
      // back first) is in the journal; here only the ways forward.
      throw new DeleteStopped(decision.reasons.join("; "), decision.nextSteps.join("; ") || journal.retryHint);
    }
    if (decision.outcome === "wait") {
      look = { describe: await waitOut(s, spec, deadline, journal, decision.imageState) };
      continue;
    }
    for (const w of decision.warnings.filter((w) => !warned.has(w))) {
      warned.add(w);
      await warnOn(urn, `${imageLabel(spec.imageId, journal.name, spec.region)}: ${w}`);
    }
    await cancelShares(s, spec, decision.sharesToCancel, deadline, journal);
    const acceptedAt = await callDeleteImages(s, spec, deadline, journal, round);
    // Refused as shared (outside the stack, or since the look) or busy: look at the image and decide again.
    if (acceptedAt === undefined) look = { describe: describeOrStop(s, spec.imageId, journal) };
    else return waitGone(s, spec, deadline, journal, acceptedAt);
  }
}

/** How a round of the delete looks at the image: how it is described, and its shares when known. */
interface Look {
  describe: () => Promise<PlannedImage | null>;
  shares?: readonly string[];
}

/** Describes the image now; a failed describe stops the delete (with the credentials' fix for a refusal of them). */
function describeOrStop(
  s: Settings,
  id: string,
  journal: DeleteJournal,
  share: { shareWithinMs?: number; paced?: boolean; crowd?: number } = {},
): () => Promise<ImageFacts | null> {
  return async () => {
    try {
      return await describeImageNow(s, id, share);
    } catch (e) {
      if (e instanceof ApiError && isAuthFailure(e.code)) throw journal.stopFor(e);
      throw new DeleteStopped(causeOf(e), `check the credentials and network, then ${journal.retryHint}`);
    }
  };
}

/** One round's look and decision; a failed share listing or usage scan stops the delete. */
async function lookAt(
  s: Settings,
  spec: DeleteSpec,
  deadline: number,
  journal: DeleteJournal,
  look: Look,
): Promise<Observed> {
  try {
    return await observeDeletion(s, spec, { deadline, describe: look.describe, shares: look.shares });
  } catch (e) {
    if (e instanceof DeleteStopped) throw e;
    throw journal.stopFor(e);
  }
}

/** The image is gone (or the id names another image, which is warned about): the delete is done. */
async function noteGone(spec: DeleteSpec, decision: DeletionDecision, urn: string | undefined): Promise<void> {
  for (const w of decision.warnings)
    await warnOn(urn, `${imageLabel(spec.imageId, spec.imageName, spec.region)}: ${w}`);
}

/** Waits until a busy image settles; returns the next round's describe (the image as the wait last saw it). */
async function waitOut(
  s: Settings,
  spec: DeleteSpec,
  deadline: number,
  journal: DeleteJournal,
  busyState: string,
): Promise<() => Promise<ImageFacts | null>> {
  try {
    const settled = await waitSettled(s, spec.imageId, deadline);
    return async () => settled;
  } catch (e) {
    const state = e instanceof WaitTimeout && e.last ? e.last.imageState : busyState;
    throw new DeleteStopped(
      `the image is still ${state} after waiting ${formatDuration(deleteTimeoutMs(spec))} (timeouts.delete = ` +
        `${spec.timeouts.delete}); a busy image cannot be deleted`,
      `wait until it settles, or raise timeouts.delete with \`pulumi up\`, then ${journal.retryHint}`,
    );
  }
}

/** Cancels the shares the decision cancels, each chunk recorded in the journal as it is done. */
async function cancelShares(
  s: Settings,
  spec: DeleteSpec,
  accounts: readonly string[],
  deadline: number,
  journal: DeleteJournal,
): Promise<void> {
  if (!accounts.length) return;
  try {
    await modifyShares(s, spec.imageId, [...accounts], "CANCEL", {
      deadline,
      onChunk: (c) => journal.cancelledShares(s, deadline, c),
    });
  } catch (e) {
    if (isImageNotFound(e)) throw new ImageGone(); // deleted meanwhile
    throw journal.stopFor(e);
  }
}

/**
 * DeleteImages; returns when it was accepted, or undefined when the image changed under the delete
 * (shared or busy) and is to be looked at again (before the deadline, within {@link MAX_ROUNDS}).
 */
async function callDeleteImages(
  s: Settings,
  spec: DeleteSpec,
  deadline: number,
  journal: DeleteJournal,
  round: number,
): Promise<number | undefined> {
  const { deleteSnapshots } = spec.deletionPolicy;
  try {
    await deleteImage(s, spec.imageId, { deleteSnapshots }, { deadline });
  } catch (e) {
    if (isImageNotFound(e)) throw new ImageGone();
    const code = e instanceof ApiError ? e.code : undefined;
    const changedUnderUs = code === "InvalidImageId.InShared" || code === "InvalidImageId.IncorrectState";
    if (Date.now() > deadline || round >= MAX_ROUNDS || !changedUnderUs) throw journal.stopFor(e);
    return undefined;
  }
  const acceptedAt = Date.now();
  const snapshots = deleteSnapshots
    ? " with DeleteBindedSnap (bound snapshots deleted too)"
    : " (bound snapshots kept)";
  journal.deleteAccepted(`called DeleteImages${snapshots}`);
  return acceptedAt;
}

/** Waits until the image no longer shows after DeleteImages was accepted. */
async function waitGone(
  s: Settings,
  spec: DeleteSpec,
  deadline: number,
  journal: DeleteJournal,
  acceptedAt: number,
): Promise<void> {
  const id = spec.imageId;
  try {
    await waitForImage(s, id, (f) => f === null, deadline, `image ${id} to disappear`, "gone", acceptedAt);
  } catch (e) {
    if (!(e instanceof WaitTimeout)) throw journal.stopFor(e);
    throw new DeleteStopped(
      `DeleteImages was accepted but the image still shows after timeouts.delete = ${spec.timeouts.delete}`,
      journal.retryHint,
    );
  }
}
