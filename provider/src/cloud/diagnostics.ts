/**
 * Warnings shown on a resource, where Pulumi users look for them. Pulumi starts the dynamic-provider
 * process with the engine's address as its first argument; the engine's `Log` call with a resource's
 * URN puts a message on that resource (counted as a warning in the summary and repeated under
 * "Diagnostics"), where `console.warn` would land on the stack as an untyped message. Outside that
 * process (unit tests, benchmarks, library use) warnings go to stderr.
 */
import * as path from "path";
import { processState } from "./process";

/** Where a provider operation's warnings go. */
export interface WarningSink {
  /** Shows `message` as a warning on the resource `urn` (on the stack when the URN is unknown). */
  warn(urn: string | undefined, message: string): Promise<void>;
}

/** The engine address when this process is Pulumi's dynamic-provider host, else undefined. */
export function engineAddress(argv: readonly string[] = process.argv): string | undefined {
  const script = argv[1] ?? "";
  const isHost = /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]dynamic-provider([\\/]index(\.js)?)?$/.test(script);
  const address = argv[2];
  return isHost && address && /^[\w.-]+:\d+$/.test(address) ? address : undefined;
}

const WARNING_SEVERITY = 2; // pulumirpc.LogSeverity.WARNING

interface EngineLog {
  log(request: unknown, callback: (error: Error | null) => void): void;
}

/** The engine's Log RPC, built from the @pulumi/pulumi the program runs with. */
function engineLogClient(address: string): { client: EngineLog; request(urn: string, message: string): unknown } {
  const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }));
  const services = require(path.join(pulumiDir, "proto", "engine_grpc_pb"));
  const messages = require(path.join(pulumiDir, "proto", "engine_pb"));
  const client: EngineLog = new services.EngineClient(address, grpc.credentials.createInsecure());
  return {
    client,
    request: (urn, message) => new messages.LogRequest().setSeverity(WARNING_SEVERITY).setMessage(message).setUrn(urn),
  };
}

/** Writes warnings to stderr, as `warning: <message>`. */
export const stderrSink: WarningSink = {
  async warn(_urn, message) {
    process.stderr.write(`warning: ${message}\n`);
  },
};

/** A sink that sends each warning to the engine at `address`, falling back to stderr if the call fails. */
export function engineSink(address: string): WarningSink {
  let engine: ReturnType<typeof engineLogClient> | undefined;
  return {
    warn(urn, message) {
      return new Promise((resolve) => {
        try {
          engine ??= engineLogClient(address);
          engine.client.log(engine.request(urn ?? "", message), (error) => {
            if (error) void stderrSink.warn(urn, message).then(resolve);
            else resolve();
          });
        } catch {
          void stderrSink.warn(urn, message).then(resolve);
        }
      });
    },
  };
}

/**
 * A sink that passes each message on once per resource. The engine diffs a resource again at a
 * refresh, after `read` has warned, so the same warning would show twice; an engine host process
 * serves one operation (a preview, an update, a refresh), so "once per process" is once per operation.
 */
export function onceSink(sink: WarningSink): WarningSink {
  const said = new Set<string>();
  return {
    warn(urn, message) {
      const key = `${urn ?? ""}\n${message}`;
      if (said.has(key)) return Promise.resolve();
      said.add(key);
      return sink.warn(urn, message);
    },
  };
}

/**
 * The process's sink (`processState.warningSink`): the engine when running under Pulumi (each
 * warning once), else stderr (tests may replace it).
 */
export function warnings(): WarningSink {
  if (!processState.warningSink) {
    const address = engineAddress();
    processState.warningSink = address ? onceSink(engineSink(address)) : stderrSink;
  }
  return processState.warningSink;
}

/** Replaces the process's sink (tests); `undefined` restores the default. */
export function setWarningSink(sink: WarningSink | undefined): void {
  processState.warningSink = sink;
}

/**
 * The URN Pulumi gives a resource: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, where
 * the qualified type is the parent's qualified type and the resource's own joined by `$` (a resource
 * whose parent is the stack has just its own type).
 */
export function resourceUrn(
  parentUrn: string | undefined,
  stack: string,
  project: string,
  type: string,
  name: string,
): string {
  if (!parentUrn) return `urn:pulumi:${stack}::${project}::${type}::${name}`;
  const parts = parentUrn.split("::");
  const parentType = parts[2] ?? "";
  const qualified = parentType === "pulumi:pulumi:Stack" || parentType === "" ? type : `${parentType}$${type}`;
  return `${parts[0]}::${parts[1]}::${qualified}::${name}`;
}
