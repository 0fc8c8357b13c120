/**
 * The HTTP server (node:http): reads each request, sends `/_emulator/*` to the control
 * surface and everything else to the Tencent API pipeline.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiOutcome, ApiRequest, MAX_POST_BYTES } from "./api";

const MAX_CONTROL_BODY = 256 * 1024 * 1024;

/** A control-surface answer. */
export interface ControlOutcome {
  status: number;
  json: unknown;
}

export interface Handlers {
  api: (req: ApiRequest) => Promise<ApiOutcome>;
  control: (method: string, path: string, body: Buffer) => Promise<ControlOutcome>;
}

/** Read the body up to `limit` bytes; beyond it the rest is drained and `oversize` set. */
function readBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; oversize: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let oversize = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) oversize = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve({ body: oversize ? Buffer.alloc(0) : Buffer.concat(chunks), oversize }));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

async function route(handlers: Handlers, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const rawUrl = req.url ?? "/";
  const q = rawUrl.indexOf("?");
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const method = (req.method ?? "GET").toUpperCase();
  if (path.startsWith("/_emulator/") || path === "/_emulator") {
    const { body, oversize } = await readBody(req, MAX_CONTROL_BODY);
    const out = oversize
      ? { status: 413, json: { error: "body too large" } }
      : await handlers.control(method, path, body);
    send(res, out.status, JSON.stringify(out.json), { "Content-Type": "application/json" });
    return;
  }
  if (path !== "/") {
    send(res, 404, JSON.stringify({ error: `no such path ${path}; the API is served at /` }), {
      "Content-Type": "application/json",
    });
    return;
  }
  const { body, oversize } = await readBody(req, MAX_POST_BYTES);
  const outcome = await handlers.api({
    method,
    rawQuery: q === -1 ? "" : rawUrl.slice(q + 1),
    headers: req.headers,
    body,
    oversize,
  });
  if (outcome.kind === "drop") {
    req.socket.destroy();
    return;
  }
  send(res, outcome.status, outcome.body, outcome.headers);
}

/** Start listening; resolves with the server and the bound port. */
export function listen(handlers: Handlers, host: string, port: number): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    route(handlers, req, res).catch((e: unknown) => {
      process.stderr.write(`cvm-emulator: ${(e as Error)?.stack ?? String(e)}\n`);
      if (!res.headersSent)
        send(res, 500, JSON.stringify({ error: "internal error" }), { "Content-Type": "application/json" });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve({ server, port: (server.address() as AddressInfo).port });
    });
  });
}

/** Stop accepting requests and close every connection. */
export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
