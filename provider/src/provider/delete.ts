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
import { wasTakenOver } from "./create";
import { DESCRIBE_SHARE_WINDOW_MS, describeImageNow } from "../cloud/describes";
import { sharedUsageScan } from "../cloud/usage";
import { imageUsage } from "../cloud/usage-rules";
import { modifyShares } from "../cloud/sharing";
import { tccliEndpoints, type Settings } from "../cloud/settings";
import {
  accounts,
  anotherImage,
  copySpec,
  DeleteSpec,
  DeletionAssessment,
  deleteSpecFromOutputs,
  planDeletion,
  PlannedImage,
} from "./deletion-rules";
import { copyLabel } from "./copies-rules";
import type { ImageCopy } from "../schema/types";
import { formatDuration, parseDuration } from "../schema/durations";
import { imageLabel, operationFailure, restoredSharesText } from "./messages-rules";
import { DEFAULT_TIMEOUTS, ImageFacts, isTransitional, NO_USAGE } from "../schema/types";
import { isCredentialRefusal } from "../cloud/errors";
import {
  causeOf,
  deadlineFrom,
  isImageNotFound,
  Rec,
  settingsFor,
  sharesOf,
  waitForImage,
  waitSettled,
  WaitTimeout,
  warnOn,
} from "./common";

/** How many times a delete re-plans after the cloud changed under it (a share or a state appeared). */
const MAX_ROUNDS = 3;

/** Thrown inside the delete to stop it: the cause and the way forward. */
class Stop extends Error {
  constructor(
    readonly reason: string,
    readonly next: string,
  ) {
    super(reason);
  }
}

/** The image turned out to be gone (deleted meanwhile, or by an earlier attempt): the delete is done. */
class Gone extends Error {}

export async function deleteResource(id: string, props: Rec): Promise<void> {
  const spec: DeleteSpec = { ...deleteSpecFromOutputs(id, props), endpoints: tccliEndpoints() };
  const deadline = deadlineFrom(spec.timeouts.delete, DEFAULT_TIMEOUTS.delete);
  const urn = typeof props.resourceUrn === "string" ? props.resourceUrn : undefined;
  if (wasTakenOver(id)) {
    // A create of this run took the image over (a rename without aliases): it is the new resource's now.
    await warnOn(
      urn,
      `${imageLabel(id, spec.imageName, spec.region)} was not deleted: another resource of this stack took it over in this run (same name, source and attributes, as after a rename without \`aliases\`), and keeps it. Add \`aliases\` to such renames.`,
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
    await Promise.all(planned.map(async (p) => ({ ...p, plan: await planNow(p.spec, deadline) })))
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
 * The plan of one image's deletion from what the cloud shows now (read-only); undefined when it is
 * gone, busy or cannot be read (its own delete then finds out).
 */
async function planNow(spec: DeleteSpec, deadline: number): Promise<DeletionAssessment | undefined> {
  const s = settingsFor(spec.region, { profile: spec.profile, operation: "delete" });
  try {
    const image = await describeImageNow(s, spec.imageId);
    if (!image) return undefined;
    if (image.imageType !== "PRIVATE_IMAGE") return planDeletion(spec, { image, usage: NO_USAGE });
    if (isTransitional(image.imageState)) return undefined;
    const shares = await sharesOf(s, image, deadline);
    if (!shares) return undefined;
    return planDeletion(spec, {
      image,
      shares,
      usage: imageUsage(await sharedUsageScan(s, { deadline }), spec.imageId),
    });
  } catch {
    return undefined;
  }
}

/** Deletes one image (the resource's, or one of its copies): its journal, and the shares it puts back when it stops. */
async function deleteOne(spec: DeleteSpec, deadline: number, urn: string | undefined): Promise<void> {
  const s = settingsFor(spec.region, { profile: spec.profile, operation: "delete" });
  const journal = new DeleteJournal(spec);
  deleteCapacity.begin();
  try {
    await runDelete(s, spec, deadline, journal, urn);
  } catch (e) {
    if (e instanceof Gone) return;
    const stop = e instanceof Stop ? e : journal.stopFor(e);
    const restored = await journal.restoreCancelledShares(s, deadline);
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

/** What the delete has done so far, and the shares it would have to put back. */
class DeleteJournal {
  name: string;
  /** Accounts whose share this delete cancelled. */
  readonly cancelled: string[] = [];
  readonly done: string[] = [];
  deleteAccepted = false;
  private restore: { outcome: "restored" | "failed"; cause?: string } | undefined;
  readonly retryHint =
    "run the command again (`pulumi destroy` / `pulumi up`); the delete resumes from where it stopped";

  /** Stops the delete for a failed step; a refusal of the credentials needs its cause fixed before running again. */
  stopFor(e: unknown): Stop {
    const refused = e instanceof ApiError && isCredentialRefusal(e.code);
    // Refused keys: the fix names the command that uses the right config (`--run-program` for recorded stack config keys).
    const fix =
      e instanceof ApiError && isAuthFailure(e.code) ? credentialNextStep(e.credentials, e.operation) : undefined;
    return new Stop(
      causeOf(e),
      fix
        ? `${fix}; the delete resumes from where it stopped`
        : refused
          ? `fix the cause, then ${this.retryHint}`
          : this.retryHint,
    );
  }

  constructor(private readonly spec: DeleteSpec) {
    this.name = spec.imageName;
  }

  private split(list: readonly string[]) {
    const managed = new Set(this.spec.sharedWith);
    return { managed: list.filter((a) => managed.has(a)), unmanaged: list.filter((a) => !managed.has(a)) };
  }

  /** Journal lines for the message. */
  lines(): string[] {
    if (!this.cancelled.length) return [...this.done];
    if (this.restore?.outcome === "restored") {
      const { managed, unmanaged } = this.split(this.cancelled);
      return [restoredSharesText(managed, unmanaged), ...this.done];
    }
    const lines = [`cancelled sharing with ${accounts(this.cancelled)}`, ...this.done];
    if (this.restore?.outcome === "failed") lines.push(`sharing them again failed (${this.restore.cause})`);
    return lines;
  }

  /** The way forward when the shares could not be put back: the state still lists them. */
  afterFailedRestore(): string {
    return (
      "the state still lists the cancelled shares: run `pulumi refresh` (it records that they are gone), then `pulumi up` to share them again; " +
      `or, to go on deleting, ${this.retryHint}`
    );
  }

  /**
   * Shares again what this delete cancelled, unless DeleteImages was accepted. "gone" when the
   * image no longer exists (the delete is then done after all).
   */
  async restoreCancelledShares(s: Settings, deadline: number): Promise<"none" | "restored" | "failed" | "gone"> {
    if (!this.cancelled.length || this.deleteAccepted) return "none";
    try {
      await modifyShares(s, this.spec.imageId, [...this.cancelled], "SHARE", {
        deadline: Math.max(deadline, Date.now() + 60_000),
      });
      this.restore = { outcome: "restored" };
    } catch (e) {
      if (isImageNotFound(e)) return "gone";
      this.restore = { outcome: "failed", cause: causeOf(e) };
    }
    return this.restore.outcome;
  }
}

/**
 * The delete steps; throws Stop (with the way forward), Gone, or an unexpected error.
 *
 * Every delete starts by describing the image (a look shared with the process's other describes):
 * gone, another image than the state recorded (see `provider/identity-rules.ts`), another account's, or
 * busy, it is decided before anything changes. One whose state holds managed shares then has its
 * shares listed once, so a blocking policy changes nothing. Any other image goes to DeleteImages on
 * the presumption that it is not shared, after only the usage scan that `deletionPolicy.inUse`
 * needs (instances, launch templates, launch configurations; one per account and region, shared by
 * the operation's deletes). The cloud's refusals correct the presumption: a shared image
 * (InvalidImageId.InShared) or a busy one is described again (and its shares listed) and the policy applied.
 */
async function runDelete(
  s: Settings,
  spec: DeleteSpec,
  deadline: number,
  journal: DeleteJournal,
  urn: string | undefined,
): Promise<void> {
  const id = spec.imageId;
  const timeoutText = `timeouts.delete = ${spec.timeouts.delete}`;
  const describe = async (share: { shareWithinMs?: number; paced?: boolean } = {}): Promise<ImageFacts | null> => {
    try {
      return await describeImageNow(s, id, share);
    } catch (e) {
      if (e instanceof ApiError && isAuthFailure(e.code)) throw journal.stopFor(e);
      throw new Stop(causeOf(e), `check the credentials and network, then ${journal.retryHint}`);
    }
  };
  const warned = new Set<string>();

  // The first look may wait to share its call: an operation that deletes one image deletes many
  // (a moment while few are in flight; with many, until their next look).
  let image: PlannedImage | null = await describe({ shareWithinMs: DESCRIBE_SHARE_WINDOW_MS, paced: true });
  // Shares: with no managed share nothing is listed first (InShared corrects that presumption).
  let shares: string[] | undefined = spec.sharedWith.length === 0 ? [] : undefined;
  const lookAgain = async () => {
    image = await describe();
    shares = undefined;
  };
  for (let round = 1; ; round++) {
    if (!image) throw new Gone();
    // Every look (the first, and one after a refusal) checks that the id still names the recorded image.
    const other = anotherImage(spec, image);
    if (other) {
      await warnOn(urn, `${imageLabel(id, spec.imageName, spec.region)}: ${other}`);
      throw new Gone();
    }
    journal.name = image.imageName || journal.name;
    if (image.imageType !== "PRIVATE_IMAGE") {
      const plan = planDeletion(spec, { image, usage: NO_USAGE });
      throw new Stop(plan.reasons.join("; "), plan.nextSteps.join("; "));
    }
    if (isTransitional(image.imageState)) {
      const busyState = image.imageState;
      try {
        image = await waitSettled(s, id, deadline);
      } catch (e) {
        const state = e instanceof WaitTimeout && e.last ? e.last.imageState : busyState;
        throw new Stop(
          `the image is still ${state} after waiting ${formatDuration(parseDuration(spec.timeouts.delete) ?? 0)} (${timeoutText}); a busy image cannot be deleted`,
          `wait until it settles, or raise timeouts.delete with \`pulumi up\`, then ${journal.retryHint}`,
        );
      }
      shares = undefined;
      continue;
    }

    let plan;
    try {
      if (shares === undefined) {
        const listed = await sharesOf(s, image, deadline);
        if (!listed) throw new Gone(); // deleted (by an earlier attempt?): DescribeImages still lists it for a while
        shares = listed;
      }
      const usage = imageUsage(await sharedUsageScan(s, { deadline }), id);
      plan = planDeletion(spec, { image, shares, usage });
    } catch (e) {
      if (e instanceof Gone) throw e;
      throw journal.stopFor(e);
    }
    if (plan.outcome === "blocked") {
      // What was done (shares cancelled in an earlier round are put back first) is in the journal; here only the ways forward.
      throw new Stop(plan.reasons.join("; "), plan.nextSteps.join("; ") || journal.retryHint);
    }
    for (const w of plan.warnings) {
      if (warned.has(w)) continue;
      warned.add(w);
      await warnOn(urn, `${imageLabel(id, journal.name, spec.region)}: ${w}`);
    }

    if (plan.sharesToCancel.length) {
      try {
        await modifyShares(s, id, plan.sharesToCancel, "CANCEL", {
          deadline,
          onChunk: (c) => journal.cancelled.push(...c.filter((a) => !journal.cancelled.includes(a))),
        });
      } catch (e) {
        if (isImageNotFound(e)) throw new Gone(); // deleted meanwhile
        throw journal.stopFor(e);
      }
    }

    let acceptedAt: number;
    try {
      await deleteImage(s, id, { deleteSnapshots: spec.deletionPolicy.deleteSnapshots }, { deadline });
      acceptedAt = Date.now();
      journal.deleteAccepted = true;
      journal.done.push(
        `called DeleteImages${spec.deletionPolicy.deleteSnapshots ? " with DeleteBindedSnap (bound snapshots deleted too)" : " (bound snapshots kept)"}`,
      );
    } catch (e) {
      const code = e instanceof ApiError ? e.code : undefined;
      if (isImageNotFound(e)) throw new Gone();
      const changedUnderUs = code === "InvalidImageId.InShared" || code === "InvalidImageId.IncorrectState";
      if (Date.now() > deadline || round >= MAX_ROUNDS) throw journal.stopFor(e);
      if (!changedUnderUs) throw journal.stopFor(e);
      // Shared (outside the stack, or since the plan) or busy: look at the image and re-plan.
      await lookAgain();
      continue;
    }

    try {
      await waitForImage(s, id, (f) => f === null, deadline, `image ${id} to disappear`, "gone", acceptedAt);
      return;
    } catch (e) {
      if (!(e instanceof WaitTimeout)) throw journal.stopFor(e);
      throw new Stop(`DeleteImages was accepted but the image still shows after ${timeoutText}`, journal.retryHint);
    }
  }
}
