import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runProcess, type ProcessRun } from "./process";
import { pulumiBinDir } from "./toolchain";

/** What one `pulumi` invocation did. */
export type PulumiRun = ProcessRun;

/** Options for a throwaway stack run by the real CLI against a local file backend. */
export interface TestStackOptions {
  /** The Pulumi project directory (must sit inside the repository so packages resolve by name). */
  programDir: string;
  /** Extra environment, typically the emulator's TENCENTCLOUD_* variables. */
  env: Record<string, string>;
  /** Stack name; defaults to a unique one. */
  stackName?: string;
}

/**
 * A stack in its own temporary backend and PULUMI_HOME, driven through the real `pulumi` CLI,
 * with its configuration kept in its own file (`--config-file`) so tests never share state.
 */
export class TestStack {
  readonly dir: string;
  readonly stackName: string;
  readonly configFile: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: TestStackOptions) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "ptci-stack-"));
    this.stackName = options.stackName ?? `t${process.pid}${Math.floor(Math.random() * 1e6)}`;
    this.configFile = path.join(this.dir, `Pulumi.${this.stackName}.yaml`);
    const bin = pulumiBinDir();
    this.env = {
      ...process.env,
      ...options.env,
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_HOME: path.join(this.dir, "home"),
      PULUMI_BACKEND_URL: `file://${path.join(this.dir, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      NO_COLOR: "1",
    };
    fs.mkdirSync(path.join(this.dir, "state"), { recursive: true });
  }

  /** Environment the CLI runs with (for tools such as the preflight that call pulumi themselves). */
  get cliEnv(): NodeJS.ProcessEnv {
    return this.env;
  }

  /** Runs `pulumi <args>` in the program directory; never throws on a non-zero exit. */
  run(args: string[], extraEnv: Record<string, string> = {}): Promise<PulumiRun> {
    return runProcess(path.join(pulumiBinDir(), "pulumi"), args, {
      cwd: this.options.programDir,
      env: { ...this.env, ...extraEnv },
    });
  }

  /** Like {@link run} but fails with the CLI's output when the exit code is not 0. */
  async ok(args: string[], extraEnv: Record<string, string> = {}): Promise<PulumiRun> {
    const r = await this.run(args, extraEnv);
    if (r.code !== 0) {
      throw new Error(`pulumi ${args.join(" ")} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
    }
    return r;
  }

  /**
   * Creates the stack in its private backend. `pulumi stack init` writes the stack's settings
   * (the passphrase salt) into the project folder; they move to the stack's own config file so
   * the repository stays clean.
   */
  async init(): Promise<void> {
    await this.ok(["stack", "init", this.stackName, "--non-interactive"]);
    const written = path.join(this.options.programDir, `Pulumi.${this.stackName}.yaml`);
    if (fs.existsSync(written)) {
      this.stackSettings = fs.readFileSync(written, "utf8").trim();
      fs.rmSync(written);
    }
    this.setConfig({});
  }

  private stackSettings = "";

  /** Writes the stack's configuration (project-namespaced keys, structured values allowed). */
  setConfig(config: Record<string, unknown>): void {
    const lines = [
      "config:",
      ...Object.entries(config).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`),
    ];
    if (lines.length === 1) lines[0] = "config: {}";
    fs.writeFileSync(this.configFile, [this.stackSettings, ...lines].filter(Boolean).join("\n") + "\n");
  }

  private common(): string[] {
    return ["--stack", this.stackName, "--config-file", this.configFile, "--non-interactive"];
  }

  preview(extra: string[] = []): Promise<PulumiRun> {
    return this.run(["preview", ...this.common(), ...extra]);
  }

  /** `pulumi preview --json`, parsed. */
  async previewJson(extra: string[] = []): Promise<any> {
    const r = await this.ok(["preview", "--json", ...this.common(), ...extra]);
    return JSON.parse(r.stdout);
  }

  /** `pulumi destroy --preview-only --json`, parsed. */
  async destroyPreviewJson(): Promise<any> {
    const r = await this.ok(["destroy", "--preview-only", "--json", ...this.common()]);
    return JSON.parse(r.stdout);
  }

  up(extra: string[] = [], extraEnv: Record<string, string> = {}): Promise<PulumiRun> {
    return this.run(["up", "--yes", "--skip-preview", ...this.common(), ...extra], extraEnv);
  }

  refresh(extra: string[] = [], extraEnv: Record<string, string> = {}): Promise<PulumiRun> {
    return this.run(["refresh", "--yes", "--skip-preview", ...this.common(), ...extra], extraEnv);
  }

  destroy(extra: string[] = [], extraEnv: Record<string, string> = {}): Promise<PulumiRun> {
    return this.run(["destroy", "--yes", "--skip-preview", ...this.common(), ...extra], extraEnv);
  }

  /** `pulumi stack export [--show-secrets]`, raw text and parsed. */
  async exportState(showSecrets = true): Promise<{ text: string; json: any }> {
    const args = ["stack", "export", "--stack", this.stackName, ...(showSecrets ? ["--show-secrets"] : [])];
    const r = await this.ok(args);
    return { text: r.stdout, json: JSON.parse(r.stdout) };
  }

  /** Stack outputs as JSON. */
  async outputs(): Promise<Record<string, any>> {
    const r = await this.ok(["stack", "output", "--json", "--show-secrets", "--stack", this.stackName]);
    return JSON.parse(r.stdout);
  }

  /** Resources of a given type token in the exported state. */
  async resourcesOfType(type: string): Promise<any[]> {
    const { json } = await this.exportState();
    return (json.deployment.resources ?? []).filter((r: any) => r.type === type);
  }

  /** Removes the stack's temporary folder (backend and PULUMI_HOME). */
  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
