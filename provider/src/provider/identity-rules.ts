/**
 * Identity before action: is the image an id names now the image the state recorded? Pure.
 *
 * The cloud does not reuse image ids, but a restored or copied state, or an emulator restarted with
 * the same id sequence, can hold an id that now names another image. Every verb that acts on a
 * recorded image (delete, refresh, update, the preflight) asks {@link identityMismatch} first; when
 * it answers, the recorded image is gone and the image the id names is left alone.
 */

/** What the state recorded of an image that never changes (its creation time) or rarely does (its name). */
export interface RecordedIdentity {
  /** The image name the state recorded (`""`: unknown). */
  imageName: string;
  /** The creation time the state recorded (`""`: unknown, e.g. a create whose answer was lost). */
  createdTime: string;
}

/** What the cloud shows now of the image the id names. */
export type LiveIdentity = RecordedIdentity;

/** The recorded identity in stored outputs (missing fields read as unknown). */
export function recordedIdentity(outputs: Record<string, unknown>): RecordedIdentity {
  return {
    imageName: typeof outputs.imageName === "string" ? outputs.imageName : "",
    createdTime: typeof outputs.createdTime === "string" ? outputs.createdTime : "",
  };
}

/** Same instant (ISO strings in any zone), else the same text. */
function sameTime(a: string, b: string): boolean {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  return Number.isNaN(ta) || Number.isNaN(tb) ? a === b : ta === tb;
}

/**
 * Whether the image the id names now is another image than the recorded one. The creation time
 * decides when both sides know it (a name may have changed outside the stack: that is drift, not
 * another image); when the state recorded none, a different name does.
 */
export function isAnotherImage(recorded: RecordedIdentity, live: LiveIdentity): boolean {
  if (recorded.createdTime && live.createdTime) return !sameTime(recorded.createdTime, live.createdTime);
  return (
    recorded.createdTime === "" &&
    recorded.imageName !== "" &&
    live.imageName !== "" &&
    recorded.imageName !== live.imageName
  );
}

const described = (i: RecordedIdentity) =>
  `"${i.imageName || "unnamed"}", created ${i.createdTime || "at a time not recorded"}`;

/**
 * The reason an image id now names another image than the recorded one, naming both; undefined when
 * it is the recorded image (or nothing tells them apart).
 */
export function identityMismatch(imageId: string, recorded: RecordedIdentity, live: LiveIdentity): string | undefined {
  if (!isAnotherImage(recorded, live)) return undefined;
  return (
    `${imageId} now names another image (${described(live)}) than the one the state recorded ` +
    `(${described(recorded)}): ` +
    "the recorded image no longer exists (the id was handed out again, e.g. by an emulator restarted without its " +
    "state, or the state was restored or copied)"
  );
}
