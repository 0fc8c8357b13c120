/**
 * The account of an image: the resource's `profile` input names the credentials it belongs to, and
 * the outputs record it, so that refresh and delete use the same account. A later change of
 * `profile` can only name another way into the same account: an image cannot move between accounts.
 */
import { describeImageNow } from "../cloud/describes";
import type { Settings } from "../cloud/settings";
import { sourceText } from "../cloud/credentials-rules";
import { operationFailure } from "./messages-rules";
import type { CheckedInputs, CustomImageState } from "../schema/types";
import { causeOf, type Rec } from "./common";

const named = (profile: string | undefined) =>
  profile ? `profile \`${profile}\`` : "the stack's credentials (no `profile`)";

/**
 * Refuses an update whose `profile` reaches another account than the recorded one: with the new
 * credentials (`s`), the image must be listed as their own custom image (`PRIVATE_IMAGE`). Throws
 * before anything is changed (the state keeps the recorded profile); returns when `profile` did not
 * change or reaches the same account.
 */
export async function refuseAccountMove(
  s: Settings,
  id: string,
  olds: Partial<CustomImageState> & Rec,
  news: Partial<CheckedInputs> & Rec,
): Promise<void> {
  const before = olds.profile || undefined;
  const after = news.profile || undefined;
  if (before === after) return;
  const base = { operation: "update" as const, imageId: id, imageName: olds.imageName, region: s.region, done: [] };
  const back = before ? `put \`profile: "${before}"\` back` : "remove `profile` again";
  let facts;
  try {
    facts = await describeImageNow(s, id);
  } catch (e) {
    throw new Error(
      operationFailure({
        ...base,
        cause:
          `\`profile\` changed from ${named(before)} to ${named(after)}, and checking that the new credentials ` +
          `reach the image's account failed: ${causeOf(e)}`,
        next: `fix the cause and run \`pulumi up\` again, or ${back}`,
      }),
    );
  }
  if (facts && facts.imageType === "PRIVATE_IMAGE") return;
  const from = s.source ? ` (${sourceText(s.source)})` : "";
  const sees = facts ? `see the image as a ${facts.imageType}, not as their own custom image` : "do not see the image";
  throw new Error(
    operationFailure({
      ...base,
      cause:
        `\`profile\` changed from ${named(before)} to ${named(after)}, whose credentials${from} ${sees}: ` +
        "they belong to another account than the one the image was made in, and an image cannot move between accounts",
      next:
        `${back} and run \`pulumi up\` again. To use the image in the other account, share it there (add that ` +
        `account's uin to \`sharedWith\`); ` +
        "to have an image of its own there, declare another CustomImage with that profile and a source in that account",
    }),
  );
}
