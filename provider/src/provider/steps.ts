/**
 * The one journal of the operations (create, adoption, update, delete, copies) and their step runner: what was
 * done, what may have taken effect (a call whose answer was lost), and what to restore when a later step fails.
 * A failure message lists {@link Journal.lines} as "Already done".
 */
import { ApiError } from "../cloud/call";

/** A network error or 5xx (after the call layer's retries): the call may have taken effect. */
export function mayHaveTakenEffect(e: unknown): boolean {
  return e instanceof ApiError && (e.kind === "network" || e.kind === "server");
}

/** The journal line of a call (`what` it did) whose answer was lost. */
export function noClearAnswer(what: string): string {
  return `${what} got no clear answer, so it may have taken effect`;
}

/** An undo action that failed, and why. */
export interface UndoFailure {
  label: string;
  error: unknown;
}

/** One entry of the journal: done, or may have taken effect. */
interface Entry {
  line: string;
  uncertain: boolean;
}

/** What an operation did, what may have taken effect, and what to restore if a later step fails. */
export class Journal {
  private readonly entries: Entry[] = [];
  private undos: Array<{ label: string; fn: () => Promise<void> }> = [];
  /** The name of the step that runs now (or that failed), when run by {@link runSteps}. */
  step: string | undefined;
  /** The undo actions that failed after the step named {@link step} failed (see {@link runSteps}). */
  undoFailures: UndoFailure[] = [];

  constructor(done: readonly string[] = []) {
    for (const line of done) this.done(line);
  }

  /** Records a change that took effect. */
  done(line: string): void {
    this.entries.push({ line, uncertain: false });
  }

  /** Records a call whose answer was lost: it may have taken effect. */
  uncertain(line: string): void {
    this.entries.push({ line, uncertain: true });
  }

  /** Records what `other` recorded, each line prefixed with `prefix`, keeping whether it is certain. */
  merge(other: Journal, prefix = ""): void {
    for (const e of other.entries) this.entries.push({ line: `${prefix}${e.line}`, uncertain: e.uncertain });
  }

  /** Registers what to restore if a later step fails (undone last first). */
  onUndo(label: string, fn: () => Promise<void>): void {
    this.undos.push({ label, fn });
  }

  /** True when some undo action is registered. */
  hasUndo(): boolean {
    return this.undos.length > 0;
  }

  /** Forgets the undo actions: past a point of no return, there is nothing to restore. */
  clearUndo(): void {
    this.undos = [];
  }

  /** Runs the undo actions, last registered first, each once; returns the ones that failed (all run regardless). */
  async undo(): Promise<UndoFailure[]> {
    const undos = this.undos.reverse();
    this.undos = [];
    const failures: UndoFailure[] = [];
    for (const u of undos) {
      try {
        await u.fn();
      } catch (error) {
        failures.push({ label: u.label, error });
      }
    }
    return failures;
  }

  /** The lines recorded, in order (done and uncertain alike), for the message's "Already done". */
  lines(): string[] {
    return this.entries.map((e) => e.line);
  }

  /** The lines of calls that may have taken effect. */
  uncertainLines(): string[] {
    return this.entries.filter((e) => e.uncertain).map((e) => e.line);
  }
}

/** One named step of an operation. */
export interface Step {
  name: string;
  run(): Promise<void>;
}

/**
 * Runs the steps in order. A failing step stops the rest: the journal's undo actions run (last first), their
 * failures are kept in `journal.undoFailures` with the failed step's name in `journal.step`, and the step's own
 * error is thrown as it was (an undo's failure never hides it).
 */
export async function runSteps(journal: Journal, steps: readonly Step[]): Promise<void> {
  const outer = journal.step; // the step of an enclosing run, if any
  for (const step of steps) {
    journal.step = step.name;
    try {
      await step.run();
    } catch (e) {
      journal.undoFailures = await journal.undo();
      throw e;
    }
  }
  journal.step = outer;
}
