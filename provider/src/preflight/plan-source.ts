/**
 * Gets the plan: from a saved preview file, stdin, a document in memory, or a
 * fresh `pulumi` run.
 */
import { readFile } from "node:fs/promises";
import { PreflightError } from "./errors";
import { asPreviewDigest, parsePreviewJson, PlanParseError, type PreviewDigest } from "./plan-shape";
import { runPulumiPreview, type PulumiPreviewOptions } from "./pulumi-cli";
import type { PlanSource } from "./report";

/** Where to get the plan from. */
export interface PlanSourceOptions extends PulumiPreviewOptions {
  /** A saved preview JSON file, or `-` for stdin. */
  plan?: string;
  /** A preview document already in hand: the parsed object or its JSON text. */
  preview?: PreviewDigest | string;
  /** Stream read for `plan: "-"` (default `process.stdin`). */
  stdin?: NodeJS.ReadableStream;
}

/** A plan and where it came from. */
export interface LoadedPlan {
  digest: PreviewDigest;
  source: PlanSource;
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function parseOrThrow(text: string, from: string): PreviewDigest {
  try {
    return parsePreviewJson(text);
  } catch (e) {
    if (e instanceof PlanParseError) throw new PreflightError("access", `${from}: ${e.message}`);
    throw e;
  }
}

/**
 * Loads the plan named by `opts`.
 * @throws PreflightError (`access`) when it cannot be read or is not preview JSON.
 */
export async function loadPlan(opts: PlanSourceOptions): Promise<LoadedPlan> {
  if (opts.preview !== undefined) {
    const digest =
      typeof opts.preview === "string"
        ? parseOrThrow(opts.preview, "preview document")
        : wrap(() => asPreviewDigest(opts.preview));
    return { digest, source: { kind: "document" } };
  }
  if (opts.plan === "-") {
    return { digest: parseOrThrow(await readStream(opts.stdin ?? process.stdin), "stdin"), source: { kind: "stdin" } };
  }
  if (opts.plan !== undefined) {
    const text = await readFile(opts.plan, "utf8").catch((e: Error) => {
      throw new PreflightError("access", `cannot read plan file: ${e.message}`);
    });
    return { digest: parseOrThrow(text, opts.plan), source: { kind: "file", path: opts.plan } };
  }
  const digest = await runPulumiPreview(opts);
  return { digest, source: { kind: opts.destroy ? "destroy-preview" : "preview", stack: opts.stack, cwd: opts.cwd } };
}

function wrap(parse: () => PreviewDigest): PreviewDigest {
  try {
    return parse();
  } catch (e) {
    if (e instanceof PlanParseError) throw new PreflightError("access", `preview document: ${e.message}`);
    throw e;
  }
}
