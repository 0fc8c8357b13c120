/**
 * The in-memory store: accounts, regions, images, snapshots, instances, launch templates and
 * launch configurations, id generation, and the time-driven image transitions (CREATING → NORMAL,
 * deletion lag).
 */
import { SeededRandom } from "../load/rng";
import { FixtureAdditions, ID_PATTERNS, readAdditions } from "./fixtures";
import {
  Account,
  Dataset,
  ImageRecord,
  InstanceRecord,
  isoTime,
  LaunchConfigurationRecord,
  LaunchTemplateRecord,
  SnapshotRecord,
  StateFile,
} from "./types";

/** Ids added by one `addFixtures` call. */
export interface AddedIds {
  accounts: string[];
  regions: string[];
  images: string[];
  snapshots: string[];
  instances: string[];
  launchTemplates: string[];
  launchConfigurations: string[];
}

export class Store {
  accounts: Account[] = [];
  regions: string[] = [];
  defaultAccount!: Account;
  defaultRegion = "";
  /** Per region, images in creation order. */
  private imagesByRegion = new Map<string, Map<string, ImageRecord>>();
  private imageById = new Map<string, ImageRecord>();
  readonly snapshots = new Map<string, SnapshotRecord>();
  readonly instances = new Map<string, InstanceRecord>();
  /** Launch templates and launch configurations, in the order they were added. */
  readonly launchTemplates = new Map<string, LaunchTemplateRecord>();
  readonly launchConfigurations = new Map<string, LaunchConfigurationRecord>();
  /** Ids of images with a pending transition or a deletion lag. */
  private pending = new Set<string>();
  readonly rng: SeededRandom;

  constructor(dataset: Dataset, seed: number) {
    this.rng = new SeededRandom(seed);
    this.load(dataset);
  }

  /** Replace everything with a dataset (seed or state file). */
  load(dataset: Dataset | StateFile): void {
    this.accounts = [];
    this.regions = [];
    this.imagesByRegion.clear();
    this.imageById.clear();
    this.snapshots.clear();
    this.instances.clear();
    this.launchTemplates.clear();
    this.launchConfigurations.clear();
    this.pending.clear();
    this.addFixtures(dataset as FixtureAdditions);
    if (this.accounts.length === 0) throw new Error("the dataset needs at least one account");
    if (this.regions.length === 0) throw new Error("the dataset needs at least one region");
    const defAccount = dataset.defaultAccount ?? this.accounts[0]!.name;
    this.defaultAccount =
      this.accounts.find((a) => a.name === defAccount || a.uin === defAccount) ??
      this.fail(`unknown defaultAccount ${defAccount}`);
    this.defaultRegion = dataset.defaultRegion ?? this.regions[0]!;
    if (!this.regions.includes(this.defaultRegion)) this.fail(`unknown defaultRegion ${this.defaultRegion}`);
    if ("rng" in dataset && typeof dataset.rng === "number") this.rng.snapshot = dataset.rng;
  }

  private fail(message: string): never {
    throw new Error(message);
  }

  /** Validate and add fixture entries, all or nothing. */
  addFixtures(input: FixtureAdditions, now = Date.now()): AddedIds {
    const reserved = new Set<string>();
    const newId = (prefix: string) => {
      const id = this.newId(prefix, reserved);
      reserved.add(id);
      return id;
    };
    const incoming = readAdditions({ accounts: input?.accounts ?? [] }, { owner: (ref) => ref, newId, now }).accounts;
    const known = [...this.accounts, ...incoming];
    const owner = (ref: string, where: string): string => {
      const hit = known.find((a) => a.name === ref || a.uin === ref);
      if (hit) return hit.uin;
      if (ID_PATTERNS.uin.test(ref)) return ref; // an account outside the emulator (a share target)
      throw new Error(`${where}: unknown account ${ref}`);
    };
    const add = readAdditions({ ...input, accounts: [] }, { owner, newId, now });
    const regions = [...this.regions, ...add.regions.filter((r) => !this.regions.includes(r))];

    const seen = new Set<string>();
    const unique = (id: string, exists: boolean, what: string) => {
      if (exists || seen.has(id)) throw new Error(`${what} ${id} already exists`);
      seen.add(id);
    };
    for (const a of incoming) {
      unique(
        a.uin,
        this.accounts.some((x) => x.uin === a.uin),
        "account uin",
      );
      unique(
        `name:${a.name}`,
        this.accounts.some((x) => x.name === a.name),
        "account",
      );
      unique(
        `key:${a.secretId}`,
        this.accounts.some((x) => x.secretId === a.secretId),
        "SecretId of",
      );
    }
    const inRegion = (region: string, where: string) => {
      if (!regions.includes(region)) throw new Error(`${where}: unknown region ${region}`);
    };
    const snapIds = new Set(add.snapshots.map((s) => s.snapshotId));
    for (const s of add.snapshots) {
      unique(s.snapshotId, this.snapshots.has(s.snapshotId), "snapshot");
      inRegion(s.region, `snapshot ${s.snapshotId}`);
    }
    for (const i of add.images) {
      unique(i.imageId, this.imageById.has(i.imageId), "image");
      inRegion(i.region, `image ${i.imageId}`);
      for (const s of i.snapshotIds) {
        if (!snapIds.has(s) && !this.snapshots.has(s)) throw new Error(`image ${i.imageId}: unknown snapshot ${s}`);
      }
    }
    for (const i of add.instances) {
      unique(i.instanceId, this.instances.has(i.instanceId), "instance");
      inRegion(i.region, `instance ${i.instanceId}`);
    }
    for (const t of add.launchTemplates) {
      unique(t.launchTemplateId, this.launchTemplates.has(t.launchTemplateId), "launch template");
      inRegion(t.region, `launch template ${t.launchTemplateId}`);
    }
    for (const c of add.launchConfigurations) {
      unique(c.launchConfigurationId, this.launchConfigurations.has(c.launchConfigurationId), "launch configuration");
      inRegion(c.region, `launch configuration ${c.launchConfigurationId}`);
    }

    this.accounts.push(...incoming);
    this.regions = regions;
    for (const s of add.snapshots) this.snapshots.set(s.snapshotId, s);
    for (const i of add.images) this.putImage(i);
    for (const i of add.instances) this.instances.set(i.instanceId, i);
    for (const t of add.launchTemplates) this.launchTemplates.set(t.launchTemplateId, t);
    for (const c of add.launchConfigurations) this.launchConfigurations.set(c.launchConfigurationId, c);
    return {
      accounts: incoming.map((a) => a.uin),
      regions: add.regions,
      images: add.images.map((i) => i.imageId),
      snapshots: add.snapshots.map((s) => s.snapshotId),
      instances: add.instances.map((i) => i.instanceId),
      launchTemplates: add.launchTemplates.map((t) => t.launchTemplateId),
      launchConfigurations: add.launchConfigurations.map((c) => c.launchConfigurationId),
    };
  }

  /** A fresh id `<prefix>-` + 8 lowercase alphanumerics, from the seeded generator. */
  newId(prefix: string, reserved?: Set<string>): string {
    for (;;) {
      const id = `${prefix}-${this.rng.string(8)}`;
      const taken = [
        this.imageById,
        this.snapshots,
        this.instances,
        this.launchTemplates,
        this.launchConfigurations,
      ].some((m) => m.has(id));
      if (!taken && !reserved?.has(id)) return id;
    }
  }

  accountBySecretId(secretId: string): Account | undefined {
    return this.accounts.find((a) => a.secretId === secretId);
  }

  /** Apply transitions that are due and drop deleted images whose lag is over. */
  settle(now = Date.now()): void {
    for (const id of this.pending) {
      const image = this.imageById.get(id);
      if (!image) {
        this.pending.delete(id);
        continue;
      }
      if (image.pending && now >= image.pending.until) {
        image.state = image.pending.to;
        delete image.pending;
      }
      if (image.goneAt !== undefined && now >= image.goneAt) this.dropImage(id);
      else if (!image.pending && image.goneAt === undefined) this.pending.delete(id);
    }
  }

  /** Add or replace an image. */
  putImage(image: ImageRecord): void {
    let regional = this.imagesByRegion.get(image.region);
    if (!regional) this.imagesByRegion.set(image.region, (regional = new Map()));
    regional.set(image.imageId, image);
    this.imageById.set(image.imageId, image);
    this.track(image);
  }

  /** Note that an image has a pending transition or deletion lag. */
  track(image: ImageRecord): void {
    if (image.pending || image.goneAt !== undefined) this.pending.add(image.imageId);
  }

  /** Remove an image at once. */
  dropImage(id: string): void {
    const image = this.imageById.get(id);
    if (!image) return;
    this.imageById.delete(id);
    this.imagesByRegion.get(image.region)?.delete(id);
    this.pending.delete(id);
  }

  image(id: string): ImageRecord | undefined {
    return this.imageById.get(id);
  }

  /** Images of a region in creation order (including deleted ones still in their lag). */
  imagesIn(region: string): Iterable<ImageRecord> {
    return this.imagesByRegion.get(region)?.values() ?? [];
  }

  /** Live (not deleted) custom images an account owns in a region. */
  ownedImages(uin: string, region: string): ImageRecord[] {
    const out: ImageRecord[] = [];
    for (const image of this.imagesIn(region)) if (image.owner === uin && image.goneAt === undefined) out.push(image);
    return out;
  }

  /** Everything, in the state-file format. */
  dump(): StateFile {
    const images: ImageRecord[] = [];
    for (const region of this.regions) images.push(...this.imagesIn(region));
    return {
      format: "cvm-emulator-state/1",
      savedAt: isoTime(Date.now()),
      rng: this.rng.snapshot,
      defaultAccount: this.defaultAccount.name,
      defaultRegion: this.defaultRegion,
      regions: [...this.regions],
      accounts: this.accounts.map((a) => ({ ...a })),
      // snapshots removed with DeleteBindedSnap may still be named by an image in its delete lag
      images: images.map((i) => ({
        ...structuredClone(i),
        snapshotIds: i.snapshotIds.filter((id) => this.snapshots.has(id)),
      })),
      snapshots: [...this.snapshots.values()].map((s) => ({ ...s })),
      instances: [...this.instances.values()].map((i) => structuredClone(i)),
      launchTemplates: [...this.launchTemplates.values()].map((t) => structuredClone(t)),
      launchConfigurations: [...this.launchConfigurations.values()].map((c) => structuredClone(c)),
    };
  }
}
