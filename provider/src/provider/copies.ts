/**
 * The copies of an image in other regions (`copyTo`): made with SyncImages and reconciled by name
 * when its answer was lost, waited for, shared (sharing is per region), re-read on refresh and kept
 * in step with the image on update. Every step records its progress in the `copies` it is given,
 * so a failure can record exactly the copies that exist.
 */
import { ApiError } from "../cloud/call";
import { findPrivateImagesByName } from "../cloud/images";
import { modifyShares } from "../cloud/sharing";
import type { Settings } from "../cloud/settings";
import { StartedCopy, syncImage } from "../cloud/sync";
import { describeImageNow } from "../cloud/describes";
import { copyRecord } from "./copies-rules";
import type { Copies } from "../schema/types";
import { accounts } from "./deletion-rules";
import { updateChanges } from "./diff-rules";
import { createdSince } from "../cloud/reconcile-rules";
import { CheckedInputs, CustomImageState, ImageFacts, isTransitional } from "../schema/types";
import { applyUpdateChanges } from "./apply-changes";
import { sharesOf, waitForImage, waitSettled } from "./common";
import { Journal, mayHaveTakenEffect } from "./steps";

/** The same account's settings in another region. */
export function inRegion(s: Settings, region: string): Settings {
  return { ...s, region };
}

/**
 * A copy of `source` as SyncImages makes it: the source's name and
 * OS, made after it (and, after a lost answer, since the call).
 */
function isCopyOf(img: ImageFacts, source: ImageFacts, sentAt?: number): boolean {
  const after =
    !source.createdTime || !img.createdTime || Date.parse(img.createdTime) >= Date.parse(source.createdTime);
  return (
    img.imageName === source.imageName &&
    img.osName === source.osName &&
    img.architecture === source.architecture &&
    after &&
    (sentAt === undefined || createdSince(img, sentAt))
  );
}

const isDuplicateName = (e: unknown) => e instanceof ApiError && e.code === "InvalidImageName.Duplicate";

/**
 * Starts the copies with SyncImages. SyncImages is not idempotent: after a lost answer (or when a
 * name is taken in a destination, as after an earlier run's lost answer), each region is searched
 * for the copy by its exact name; only regions without one are sent again.
 */
async function startCopies(
  s: Settings,
  source: ImageFacts,
  regions: readonly string[],
  deadline: number,
): Promise<StartedCopy[]> {
  const started: StartedCopy[] = [];
  let pending = [...regions];
  for (let attempt = 1; pending.length; attempt++) {
    const sentAt = Date.now();
    try {
      started.push(...(await syncImage(s, source.imageId, pending, { deadline })));
      return started;
    } catch (e) {
      const lost = mayHaveTakenEffect(e);
      if ((!lost && !isDuplicateName(e)) || attempt >= s.tuning.retryAttempts || Date.now() > deadline) throw e;
      const left: string[] = [];
      for (const region of pending) {
        const named = await findPrivateImagesByName(inRegion(s, region), source.imageName, { deadline });
        const copy = named.find((img) => isCopyOf(img, source, lost ? sentAt : undefined));
        if (copy) started.push({ region, imageId: copy.imageId });
        else if (named.length && !lost) {
          throw new Error(
            `the name "${source.imageName}" is already used in ${region} by ${named[0]!.imageId}, which is not a ` +
              `copy of ${source.imageId}; image names are unique per region, so the image cannot be copied there: ` +
              `rename the image or that one, then run \`pulumi up\` again`,
          );
        } else left.push(region);
      }
      pending = left;
    }
  }
  return started;
}

/**
 * Copies the image to `regions`, waits until each copy is NORMAL and shares it with `sharedWith`,
 * then waits until the source has left SYNCING. `copies` and `journal` record each step as it ends.
 */
export async function makeCopies(
  s: Settings,
  source: ImageFacts,
  regions: readonly string[],
  sharedWith: readonly string[],
  deadline: number,
  copies: Copies,
  journal: Journal,
): Promise<void> {
  if (!regions.length) return;
  const started = await startCopies(s, source, regions, deadline);
  for (const c of started) copies[c.region] = copyRecord(c.imageId, [], sharedWith);
  journal.done(`started copies to ${started.map((c) => `${c.region} (${c.imageId})`).join(", ")}`);
  await Promise.all(
    started.map(async ({ region, imageId }) => {
      const rs = inRegion(s, region);
      const copy = await waitForImage(
        rs,
        imageId,
        (f) => f !== null && !isTransitional(f.imageState),
        deadline,
        `copy ${imageId} in ${region} to become NORMAL`,
      );
      if (copy?.imageState !== "NORMAL")
        throw new Error(`the copy ${imageId} in ${region} ended ${copy?.imageState ?? "gone"}`);
      if (sharedWith.length) {
        const shared: string[] = [];
        try {
          await modifyShares(rs, imageId, [...sharedWith], "SHARE", { deadline, onChunk: (c) => shared.push(...c) });
        } finally {
          copies[region] = copyRecord(imageId, shared, sharedWith);
        }
        journal.done(`shared the copy in ${region} with ${accounts(sharedWith)}`);
      }
    }),
  );
  await waitSettled(s, source.imageId, deadline);
}

/** The recorded copies as the cloud shows them now; a copy that is gone is dropped. */
export async function readCopies(
  s: Settings,
  recorded: Copies,
  managed: readonly string[],
  deadline?: number,
): Promise<Copies> {
  const out: Copies = {};
  await Promise.all(
    Object.entries(recorded).map(async ([region, copy]) => {
      const rs = inRegion(s, region);
      const facts = await describeImageNow(rs, copy.imageId);
      const shares = facts && (await sharesOf(rs, facts, deadline));
      if (facts && shares) out[region] = copyRecord(copy.imageId, shares, [...managed, ...copy.sharedWith]);
    }),
  );
  return out;
}

/**
 * Keeps every recorded copy in step with an update: its attributes, tags and managed shares as the
 * new inputs want (shares made outside the stack are left alone, as on the image). `copies` is
 * updated as each copy is done.
 */
export async function updateCopies(
  s: Settings,
  olds: Partial<CustomImageState>,
  news: Partial<CheckedInputs>,
  copies: Copies,
  deadline: number,
  journal: Journal,
): Promise<void> {
  await Promise.all(
    Object.entries(copies).map(async ([region, copy]) => {
      const rs = inRegion(s, region);
      const facts = await describeImageNow(rs, copy.imageId);
      const shares = facts && (await sharesOf(rs, facts, deadline));
      if (!facts || !shares) {
        delete copies[region]; // gone: the next `pulumi up` copies it again
        return;
      }
      const managedBefore = [...new Set([...(olds.sharedWith ?? []), ...copy.sharedWith])];
      const plan = updateChanges({ sharedWith: managedBefore, adopted: olds.adopted }, news, { image: facts, shares });
      const steps = new Journal();
      try {
        await applyUpdateChanges(rs, copy.imageId, plan, deadline, steps);
      } finally {
        journal.merge(steps, `the copy in ${region}: `);
      }
      const cancelled = new Set(plan.sharesToCancel);
      copies[region] = copyRecord(
        copy.imageId,
        [...new Set([...shares, ...plan.sharesToAdd])].filter((a) => !cancelled.has(a)),
        news.sharedWith ?? [],
      );
    }),
  );
}
