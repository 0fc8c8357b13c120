/**
 * The images the program's `CustomImage`s manage, for the program's `ImageRetention`s (which never
 * retire them). Program-side state: each `CustomImage` registers its `imageId` output when
 * constructed; a retention reads the list once the program's synchronous part has run, so the
 * images declared after it count too.
 */
import * as pulumi from "@pulumi/pulumi";

const registered: pulumi.Output<string>[] = [];

/** Called by `CustomImage`'s constructor. */
export function registerManagedImage(imageId: pulumi.Output<string>): void {
  registered.push(imageId);
}

/** The ids of the images the program's `CustomImage`s manage (those declared later in the same turn included). */
export function managedImageIds(): pulumi.Output<string[]> {
  const afterProgramTurn = new Promise<void>((resolve) => setImmediate(resolve));
  const ids: pulumi.Output<string[]> = pulumi
    .output(afterProgramTurn.then(() => true))
    .apply(() => pulumi.all([...registered]));
  return ids.apply((all) => all.filter((id) => typeof id === "string" && id !== ""));
}
