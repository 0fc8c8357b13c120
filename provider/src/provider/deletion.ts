/**
 * Observe once, decide once: the read-only look at one image that a deletion decision needs, and
 * the decision ({@link decideDeletion}). `delete` (each of its looks, and the check of every copy
 * before any is deleted) and the CI preflight (`assessDeletions`) gather their facts here, so they
 * look at the same things in the same order and cannot disagree.
 *
 * The look: describe the image; when the image alone decides (gone, another image than the state
 * recorded, not this account's: see {@link decisionFromImage}) nothing more is read. Otherwise its
 * shares are listed (unless the caller knows them) — a listing that says the image does not exist
 * means it is gone, though DescribeImages still lists it for a while — and what uses it is read
 * from the usage scan of its account and region. A busy image is looked at no further unless
 * `lookAtBusy` (the delete waits for it to settle and looks again; the preflight reports it whole).
 */
import type { Settings } from "../cloud/settings";
import { describeImageNow } from "../cloud/describes";
import { sharedUsageScan } from "../cloud/usage";
import { imageUsage, type UsageScan } from "../cloud/usage-rules";
import { isTransitional, NO_USAGE } from "../schema/types";
import {
  decisionFromImage,
  DeleteContext,
  DeleteSpec,
  DeletionDecision,
  decideDeletion,
  PlannedImage,
} from "./deletion-rules";
import { sharesOf } from "./common";

/** Where the facts come from, and what the caller already knows. */
export interface LookOptions {
  /** Deadline of the calls (epoch ms); none: the call layer's own. */
  deadline?: number;
  /** How the image is described; default: {@link describeImageNow} (shares the call with concurrent describes). */
  describe?: () => Promise<PlannedImage | null>;
  /** The usage scan of the image's account and region; default: the operation's shared scan. */
  scan?: () => Promise<UsageScan>;
  /** The image's shares when the caller knows them (they are then not listed). */
  shares?: readonly string[];
  /** Also read the shares and usage of a busy image (its decision is then `wait` only when nothing blocks). */
  lookAtBusy?: boolean;
  /** How the delete comes about, for the ways forward of a refusal. */
  context?: DeleteContext;
}

/** The decision, and the image it was made on (null: not listed, or gone by its share listing). */
export interface Observed {
  decision: DeletionDecision;
  image: PlannedImage | null;
}

/** Looks at one image (read-only) and decides what deleting it means; errors of the calls are thrown. */
export async function observeDeletion(s: Settings, spec: DeleteSpec, o: LookOptions = {}): Promise<Observed> {
  const described = await (o.describe ?? (() => describeImageNow(s, spec.imageId)))();
  const decide = (image: PlannedImage | null, shares?: readonly string[], usage = NO_USAGE): Observed => ({
    decision: decideDeletion(spec, { image, shares: shares && [...shares], usage }, o.context),
    image,
  });
  if (!described || decisionFromImage(spec, described)) return decide(described);
  if (isTransitional(described.imageState) && !o.lookAtBusy) return decide(described);
  const shares = o.shares ?? (await sharesOf(s, described, o.deadline));
  if (!shares) return decide(null); // deleted: DescribeImages still lists it for a while
  const scan = await (o.scan ?? (() => sharedUsageScan(s, { deadline: o.deadline })))();
  return decide(described, shares, imageUsage(scan, spec.imageId));
}
