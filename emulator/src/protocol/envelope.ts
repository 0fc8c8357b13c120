/** The `Response` envelope: action fields plus `RequestId`, or `Error` plus `RequestId`. */
import { randomUUID } from "node:crypto";

export const newRequestId = (): string => randomUUID();

/** `{"Response": {...fields, RequestId}}`. */
export function successEnvelope(fields: Record<string, unknown>, requestId: string): string {
  return JSON.stringify({ Response: { ...fields, RequestId: requestId } });
}

/** `{"Response": {"Error": {Code, Message}, RequestId}}`, sent with HTTP 200. */
export function errorEnvelope(code: string, message: string, requestId: string): string {
  return JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: requestId } });
}
