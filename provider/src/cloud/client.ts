/** The real Tencent Cloud CVM SDK client, built per call from resolved settings. */
import * as tencentcloud from "tencentcloud-sdk-nodejs-cvm";
import type { ResolvedEndpoint, Settings } from "./settings";
import { processState } from "./process";

const CvmClient = tencentcloud.cvm.v20170312.Client;

/** The generic call the call layer uses (`AbstractClient.request`). */
export interface RequestClient {
  request(action: string, req: unknown, options?: { signal?: AbortSignal }): Promise<Record<string, unknown>>;
}

/**
 * Another Tencent Cloud service reached through the same call layer (e.g. the Tag API): its endpoint and API version.
 */
export interface ServiceTarget extends ResolvedEndpoint {
  version: string;
}

/** The class of the SDK's generic client. */
export interface CommonClientCtor {
  new (endpoint: string, version: string, config: unknown): RequestClient;
}

/** The SDK's generic client, resolved through the CVM package's own dependency (loaded once per process). */
function loadCommonClient(): CommonClientCtor {
  if (!processState.commonClient) {
    const from = require.resolve("tencentcloud-sdk-nodejs-cvm");
    const common = require(require.resolve("tencentcloud-sdk-nodejs-common", { paths: [from] })) as {
      CommonClient: CommonClientCtor;
    };
    processState.commonClient = common.CommonClient;
  }
  return processState.commonClient;
}

/** Builds a fresh client. Nothing is cached, so no credential outlives the call. */
export function createClient(s: Settings, service?: ServiceTarget): RequestClient {
  if (service) {
    const Common = loadCommonClient();
    return new Common(service.endpoint, service.version, {
      credential: s.token
        ? { secretId: s.secretId, secretKey: s.secretKey, token: s.token }
        : { secretId: s.secretId, secretKey: s.secretKey },
      region: s.region,
      profile: {
        language: "en-US",
        httpProfile: {
          endpoint: service.endpoint,
          protocol: service.protocol,
          reqMethod: "POST",
          reqTimeout: s.tuning.callTimeoutSec,
        },
      },
    });
  }
  return new CvmClient({
    credential: s.token
      ? { secretId: s.secretId, secretKey: s.secretKey, token: s.token }
      : { secretId: s.secretId, secretKey: s.secretKey },
    region: s.region,
    profile: {
      language: "en-US",
      httpProfile: {
        endpoint: s.endpoint,
        protocol: s.protocol,
        reqMethod: "POST",
        reqTimeout: s.tuning.callTimeoutSec,
      },
    },
  }) as unknown as RequestClient;
}
