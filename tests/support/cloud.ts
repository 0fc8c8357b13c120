import * as tencentcloud from "tencentcloud-sdk-nodejs-cvm";
import { startEmulator } from "../../emulator/src";

type RunningEmulator = Awaited<ReturnType<typeof startEmulator>>;
const CvmClient = tencentcloud.cvm.v20170312.Client;
export type CvmClientType = InstanceType<typeof CvmClient>;

/** A real SDK client for one emulator account, as any user of the cloud would build it. */
export function cvmClient(emu: RunningEmulator, accountName = "alice", region = emu.defaultRegion): CvmClientType {
  const account = emu.accounts.find((a) => a.name === accountName);
  if (!account) throw new Error(`no emulator account named ${accountName}`);
  const url = new URL(emu.url);
  return new CvmClient({
    credential: { secretId: account.secretId, secretKey: account.secretKey },
    region,
    profile: { httpProfile: { endpoint: url.host, protocol: `${url.protocol}//` } },
  });
}

/** The image as the account sees it now, or undefined when DescribeImages no longer lists it. */
export async function describeImage(client: CvmClientType, imageId: string): Promise<any | undefined> {
  const r = await client.DescribeImages({ ImageIds: [imageId] });
  return r.ImageSet?.[0];
}

/** Account ids the image is currently shared with. */
export async function sharesOf(client: CvmClientType, imageId: string): Promise<string[]> {
  const r = await client.DescribeImageSharePermission({ ImageId: imageId });
  return (r.SharePermissionSet ?? []).map((p: any) => p.AccountId).sort();
}

/** Ids of the account's instances in the client's region. */
export async function instanceIds(client: CvmClientType): Promise<string[]> {
  const r = await client.DescribeInstances({ Limit: 100 });
  return (r.InstanceSet ?? []).map((i: any) => i.InstanceId);
}

/** JSON from the emulator's control surface (outside the Tencent protocol). */
export async function control(emu: RunningEmulator, method: string, route: string, body?: unknown): Promise<any> {
  const res = await fetch(`${emu.url}/_emulator/${route}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} /_emulator/${route}: HTTP ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

/** The actions the emulator saw, in order, optionally only those of one kind. */
export async function callLog(
  emu: RunningEmulator,
): Promise<Array<{ action: string; account?: string; errorCode?: string }>> {
  return (await control(emu, "GET", "calls")).log;
}
