// Shared helpers for the preflight unit tests: fixture loading and a fake assessDeletions.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import {
  parsePreviewJson,
  type AssessDeletions,
  type AssessmentTarget,
  type DeletionDecision,
  type PreviewDigest,
} from "../../../provider/src/preflight";

export const fixtureDir = path.join(__dirname, "..", "..", "fixtures", "preview");
export const fixturePath = (name: string): string => path.join(fixtureDir, name);
export const loadFixture = (name: string): PreviewDigest => parsePreviewJson(readFileSync(fixturePath(name), "utf8"));

/** A fake cloud: what each image id would answer; unknown ids answer a plain "delete". */
export type FakeWorld = Record<string, Partial<DeletionDecision>>;

export interface FakeAssess {
  assess: AssessDeletions;
  calls: Array<{ targets: AssessmentTarget[]; opts: Parameters<AssessDeletions>[1] }>;
}

export function fakeAssess(world: FakeWorld = {}): FakeAssess {
  const calls: FakeAssess["calls"] = [];
  const assess: AssessDeletions = async (targets, opts) => {
    calls.push({ targets, opts });
    return targets.map((t) => ({
      imageId: t.imageId,
      imageName: typeof t.outputs.imageName === "string" ? t.outputs.imageName : "",
      region: typeof t.outputs.region === "string" ? t.outputs.region : "",
      outcome: "delete",
      exists: true,
      imageState: "NORMAL",
      imageType: "PRIVATE_IMAGE",
      managedShares: [],
      unmanagedShares: [],
      sharesToCancel: [],
      instancesInUse: [],
      launchTemplatesInUse: [],
      launchConfigurationsInUse: [],
      deleteSnapshots: false,
      snapshotIds: [],
      reasons: [],
      nextSteps: [],
      warnings: [],
      copies: [],
      ...world[t.imageId],
    }));
  };
  return { assess, calls };
}

/** The answers used across tests for the fixture images. */
export const WORLD: FakeWorld = {
  // legacy-base: shared with two managed accounts and one made outside the stack; policy "block".
  "img-2x7ka1qd": {
    outcome: "blocked",
    managedShares: ["100000000001", "100000000002"],
    unmanagedShares: ["200000000099"],
    // What the delete would cancel were it allowed; it is refused, so the report shows none cancelled.
    sharesToCancel: ["100000000001", "100000000002"],
    snapshotIds: ["snap-9aa1x0b2", "snap-1bb2y3c4"],
    reasons: ['shared with 1 account not managed by the stack (200000000099) and unmanagedShares is "block"'],
    nextSteps: [
      "cancel those shares yourself with `tccli cvm ModifyImageSharePermission --region ap-guangzhou --ImageId img-2x7ka1qd --AccountIds '[\"200000000099\"]' --Permission CANCEL`, then run the command again",
    ],
  },
  // web: one managed share cancelled first, instances still running (policy "warn").
  "img-6pb6lrmy": {
    outcome: "delete",
    managedShares: ["100000000003"],
    sharesToCancel: ["100000000003"],
    instancesInUse: [
      { instanceId: "ins-aaaa0001", instanceName: "web-1", state: "RUNNING" },
      { instanceId: "ins-aaaa0002", instanceName: "web-2", state: "STOPPED" },
    ],
    snapshotIds: ["snap-6pb6lrmy"],
    warnings: ["2 instances still run from this image"],
  },
  // db: deleteSnapshots true.
  "img-0qd3j8wz": { outcome: "delete", deleteSnapshots: true, snapshotIds: ["snap-0qd3j8wz"] },
  // nightly: importing.
  "img-1n1ght1y": {
    outcome: "wait",
    imageState: "IMPORTING",
    reasons: ["image is IMPORTING: the delete waits until it settles"],
  },
};
