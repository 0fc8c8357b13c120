/**
 * Fault injection: rules that make matching API calls return an error code, an HTTP 5xx,
 * a dropped connection (before or after the action took effect)
 * or a delay, for the next N calls or with a seeded probability.
 */
import { SeededRandom } from "./rng";

/** A fault rule as posted to `POST /_emulator/faults`. */
export interface FaultRuleInput {
  /** Action name, or `*` for every action. */
  action: string;
  /** Only calls naming this image id (ImageId or ImageIds). */
  imageId?: string;
  /** Only calls from this account (uin or account name). */
  account?: string;
  /** Return this Tencent error code (HTTP 200 envelope). */
  error?: string;
  /** Error message to go with `error`. */
  message?: string;
  /** Answer with this HTTP status (500–599) and no Tencent envelope. */
  httpStatus?: number;
  /** Destroy the connection without answering. */
  drop?: boolean;
  /** Run the action (it takes effect), then destroy the connection without answering. */
  dropAfter?: boolean;
  /** Wait this long first (alone: a slow but otherwise normal call). */
  delayMs?: number;
  /** Fire for the next N matching calls only. */
  times?: number;
  /** Fire with this probability (0..1), drawn from the seeded generator. */
  probability?: number;
}

/** A stored rule. */
export interface FaultRule extends FaultRuleInput {
  /** The rule's id, `fault-<n>` (for `DELETE /_emulator/faults/<id>`). */
  id: string;
  /** How many times the rule has fired. */
  fired: number;
}

/** What a call that matched must do. */
export interface FaultEffect {
  ruleId: string;
  /** The code to answer with, and the rule's message (the catalogue has a default). */
  error?: { code: string; message?: string };
  httpStatus?: number;
  drop?: boolean;
  dropAfter?: boolean;
  delayMs?: number;
}

function validate(input: FaultRuleInput): void {
  if (!input || typeof input !== "object") throw new Error("a fault rule must be an object");
  if (typeof input.action !== "string" || input.action === "") throw new Error("a fault rule needs `action`");
  const kinds = [
    input.error !== undefined,
    input.httpStatus !== undefined,
    input.drop === true,
    input.dropAfter === true,
  ].filter(Boolean).length;
  if (kinds > 1) throw new Error("a fault rule takes one of `error`, `httpStatus`, `drop`, `dropAfter`");
  if (kinds === 0 && !(typeof input.delayMs === "number" && input.delayMs > 0)) {
    throw new Error("a fault rule needs `error`, `httpStatus`, `drop`, `dropAfter` or `delayMs`");
  }
  if (
    input.httpStatus !== undefined &&
    !(Number.isInteger(input.httpStatus) && input.httpStatus >= 500 && input.httpStatus <= 599)
  ) {
    throw new Error("`httpStatus` must be 500..599");
  }
  if (input.error !== undefined && typeof input.error !== "string")
    throw new Error("`error` must be an error code string");
  if (input.times !== undefined && !(Number.isInteger(input.times) && input.times > 0))
    throw new Error("`times` must be a positive integer");
  if (
    input.probability !== undefined &&
    !(typeof input.probability === "number" && input.probability >= 0 && input.probability <= 1)
  ) {
    throw new Error("`probability` must be between 0 and 1");
  }
  if (input.delayMs !== undefined && !(typeof input.delayMs === "number" && input.delayMs >= 0))
    throw new Error("`delayMs` must be >= 0");
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private counter = 0;
  private random: SeededRandom;

  constructor(private readonly seed: number) {
    this.random = new SeededRandom(seed ^ 0x5eed);
  }

  /** Add rules (validated first, all or none); returns their ids. */
  add(inputs: FaultRuleInput[]): string[] {
    inputs.forEach(validate);
    return inputs.map((input) => {
      const rule: FaultRule = { ...input, id: `fault-${++this.counter}`, fired: 0 };
      this.rules.push(rule);
      return rule.id;
    });
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Remove one rule, or all when no id is given; the generator restarts from the seed when all go. */
  remove(id?: string): number {
    const before = this.rules.length;
    this.rules = id === undefined ? [] : this.rules.filter((r) => r.id !== id);
    if (id === undefined) this.random = new SeededRandom(this.seed ^ 0x5eed);
    return before - this.rules.length;
  }

  /** The first rule that fires for this call, if any. */
  match(action: string, imageIds: string[], account: { uin: string; name: string }): FaultEffect | undefined {
    for (const rule of this.rules) {
      if (rule.action !== "*" && rule.action !== action) continue;
      if (rule.imageId !== undefined && !imageIds.includes(rule.imageId)) continue;
      if (rule.account !== undefined && rule.account !== account.uin && rule.account !== account.name) continue;
      if (rule.times !== undefined && rule.fired >= rule.times) continue;
      if (rule.probability !== undefined && this.random.next() >= rule.probability) continue;
      rule.fired++;
      return {
        ruleId: rule.id,
        error: rule.error === undefined ? undefined : { code: rule.error, message: rule.message },
        httpStatus: rule.httpStatus,
        drop: rule.drop,
        dropAfter: rule.dropAfter,
        delayMs: rule.delayMs,
      };
    }
    return undefined;
  }
}
