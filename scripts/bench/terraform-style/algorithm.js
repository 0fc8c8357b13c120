/**
 * Terraform's per-image delete algorithm (terraform-provider-tencentcloud: `tencentcloud_image`
 * with `tencentcloud_cvm_image_share_permission`), for bench:destroy phase (d). Loaded by the
 * serialized provider of ./index.ts inside the dynamic-provider process; one module instance per
 * process, so its client-side limiter is shared by every resource of the run, as in Terraform.
 *
 * delete(id, {sharedWith}):
 *   1. shared image: one ModifyImageSharePermission CANCEL for the accounts the state records;
 *   2. DeleteImages of one id;
 *   3. DescribeImages of that id until it is no longer listed: the first look at once, then
 *      waits of 0.5 s doubling to a 10 s cap (helper/resource.Retry: StateChangeConf with
 *      MinTimeout 500 ms, wait *= 2, capped at 10 s).
 * Every call first passes the client-side limiter (at most 15 calls of an action in any second,
 * per process: the Terraform provider's default), and a retryable failure (RequestLimitExceeded,
 * network error, 5xx, busy) is retried on the same 0.5 s → 10 s schedule, as resource.Retry does.
 * create(inputs) adopts: one DescribeImages (Terraform's import + read) and records the id.
 *
 * Credentials, region and endpoint come from TENCENTCLOUD_* in the environment.
 */
"use strict";
const tencentcloud = require("tencentcloud-sdk-nodejs-cvm");

const LIMIT_PER_SECOND = 15;
const FIRST_WAIT_MS = 500;
const MAX_WAIT_MS = 10_000;
/** Terraform's default write/read retry budgets are minutes; one bound for both here. */
const RETRY_TIMEOUT_MS = 9 * 60_000;
const RETRYABLE =
  /^(RequestLimitExceeded|ResourceInUse|ResourceBusy|ResourceUnavailable|InternalError|MutexOperation\.TaskRunning)/;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let client;
function cvm() {
  if (!client) {
    const raw = process.env.TENCENTCLOUD_CVM_ENDPOINT || "cvm.tencentcloudapi.com";
    const m = /^(https?):\/\/([^/]+)/.exec(raw);
    client = new tencentcloud.cvm.v20170312.Client({
      credential: { secretId: process.env.TENCENTCLOUD_SECRET_ID, secretKey: process.env.TENCENTCLOUD_SECRET_KEY },
      region: process.env.TENCENTCLOUD_REGION,
      profile: {
        language: "en-US",
        httpProfile: {
          endpoint: m ? m[2] : raw,
          protocol: m && m[1] === "http" ? "http://" : "https://",
          reqMethod: "POST",
          reqTimeout: 30,
        },
      },
    });
  }
  return client;
}

/** Start times of the calls of each action in the last second (the client-side limiter). */
const recent = new Map();
async function limiterTake(action) {
  let times = recent.get(action);
  if (!times) recent.set(action, (times = []));
  for (;;) {
    const now = Date.now();
    while (times.length && now - times[0] >= 1000) times.shift();
    if (times.length < LIMIT_PER_SECOND) {
      times.push(now);
      return;
    }
    await sleep(times[0] + 1000 - now + 1 + Math.random() * 3);
  }
}

/** StateChangeConf's wait sequence: 0.5 s, 1 s, 2 s, 4 s, 8 s, 10 s, 10 s, … */
const nextWait = (wait) => (wait === 0 ? FIRST_WAIT_MS : Math.min(wait * 2, MAX_WAIT_MS));

function isRetryable(err) {
  const code = err && typeof err.code === "string" ? err.code : "";
  if (code) return RETRYABLE.test(code);
  return !(err && err.requestId); // no API answer: a network error or an HTTP 5xx
}

/** One API call through the limiter, retried like resource.Retry. */
async function call(action, req) {
  const started = Date.now();
  let wait = 0;
  for (;;) {
    await limiterTake(action);
    try {
      return await cvm()[action](req);
    } catch (err) {
      if (!isRetryable(err) || Date.now() - started > RETRY_TIMEOUT_MS) throw err;
      wait = nextWait(wait);
      await sleep(wait);
    }
  }
}

async function isListed(id) {
  const r = await call("DescribeImages", { ImageIds: [id] });
  return (r.ImageSet || []).some((img) => img.ImageId === id);
}

exports.create = async function create(inputs) {
  if (!(await isListed(inputs.imageId))) throw new Error(`image ${inputs.imageId} not found`);
  return { id: inputs.imageId, outs: { imageId: inputs.imageId, sharedWith: inputs.sharedWith || [] } };
};

exports.delete = async function del(id, props) {
  const shared = props.sharedWith || [];
  if (shared.length)
    await call("ModifyImageSharePermission", { ImageId: id, AccountIds: shared, Permission: "CANCEL" });
  try {
    await call("DeleteImages", { ImageIds: [id] });
  } catch (err) {
    if (!(err && err.code === "InvalidImageId.NotFound")) throw err;
  }
  const started = Date.now();
  let wait = 0;
  while (await isListed(id)) {
    if (Date.now() - started > RETRY_TIMEOUT_MS)
      throw new Error(`image ${id} still listed after ${RETRY_TIMEOUT_MS / 1000} s`);
    wait = nextWait(wait);
    await sleep(wait);
  }
};
