// The step runner and the one journal of the operations (provider/src/provider/steps.ts).
import { ApiError } from "../../../provider/src/cloud/call";
import { Journal, mayHaveTakenEffect, noClearAnswer, runSteps, type Step } from "../../../provider/src/provider/steps";

/** A step that records its name in `order` (and fails with `fail`, when given). */
const step = (name: string, order: string[], fail?: Error): Step => ({
  name,
  run: async () => {
    order.push(name);
    if (fail) throw fail;
  },
});

describe("Journal", () => {
  it("lists done and uncertain lines in the order they were recorded", () => {
    const j = new Journal(["started CreateImage (img-1)"]);
    j.done("img-1 became NORMAL");
    j.uncertain(noClearAnswer("changing imageDescription"));
    j.done("updated tags");
    expect(j.lines()).toEqual([
      "started CreateImage (img-1)",
      "img-1 became NORMAL",
      "changing imageDescription got no clear answer, so it may have taken effect",
      "updated tags",
    ]);
    expect(j.uncertainLines()).toEqual(["changing imageDescription got no clear answer, so it may have taken effect"]);
  });

  it("merges another journal's lines with a prefix, keeping which are uncertain", () => {
    const copy = new Journal();
    copy.done("updated tags");
    copy.uncertain("SHARE for 1 account got no clear answer, so it may have taken effect");
    const j = new Journal(["changed imageName"]);
    j.merge(copy, "the copy in ap-tokyo: ");
    expect(j.lines()).toEqual([
      "changed imageName",
      "the copy in ap-tokyo: updated tags",
      "the copy in ap-tokyo: SHARE for 1 account got no clear answer, so it may have taken effect",
    ]);
    expect(j.uncertainLines()).toEqual([
      "the copy in ap-tokyo: SHARE for 1 account got no clear answer, so it may have taken effect",
    ]);
  });

  it("runs the undo actions last first, once, and forgets them when cleared", async () => {
    const undone: string[] = [];
    const j = new Journal();
    j.onUndo("a", async () => void undone.push("a"));
    j.onUndo("b", async () => void undone.push("b"));
    expect(j.hasUndo()).toBe(true);
    expect(await j.undo()).toEqual([]);
    expect(await j.undo()).toEqual([]);
    expect(undone).toEqual(["b", "a"]);
    j.onUndo("c", async () => void undone.push("c"));
    j.clearUndo();
    expect(j.hasUndo()).toBe(false);
    await j.undo();
    expect(undone).toEqual(["b", "a"]);
  });
});

describe("runSteps", () => {
  it("runs the steps in order", async () => {
    const order: string[] = [];
    const j = new Journal();
    await runSteps(j, [step("one", order), step("two", order), step("three", order)]);
    expect(order).toEqual(["one", "two", "three"]);
    expect(j.step).toBeUndefined();
  });

  it("stops at a failing step, throws its error as it was and names it", async () => {
    const order: string[] = [];
    const j = new Journal();
    const boom = new Error("boom");
    await expect(runSteps(j, [step("one", order), step("two", order, boom), step("three", order)])).rejects.toBe(boom);
    expect(order).toEqual(["one", "two"]);
    expect(j.step).toBe("two");
    expect(j.undoFailures).toEqual([]);
  });

  it("runs the undo actions in reverse when a step fails, and not when all succeed", async () => {
    const order: string[] = [];
    const j = new Journal();
    const registering = (name: string): Step => ({
      name,
      run: async () => {
        order.push(name);
        j.done(`did ${name}`);
        j.onUndo(`undo ${name}`, async () => void order.push(`undo ${name}`));
      },
    });
    await runSteps(j, [registering("a")]);
    expect(order).toEqual(["a"]);
    await expect(
      runSteps(j, [registering("b"), registering("c"), step("d", order, new Error("d failed"))]),
    ).rejects.toThrow("d failed");
    expect(order).toEqual(["a", "b", "c", "d", "undo c", "undo b", "undo a"]);
    expect(j.lines()).toEqual(["did a", "did b", "did c"]);
  });

  it("reports an undo action's failure without hiding the step's, and runs the other undo actions", async () => {
    const order: string[] = [];
    const j = new Journal();
    const undoError = new Error("sharing again failed");
    j.onUndo("first", async () => void order.push("undo first"));
    j.onUndo("second", async () => {
      throw undoError;
    });
    const stepError = new Error("DeleteImages failed");
    await expect(runSteps(j, [step("delete", order, stepError)])).rejects.toBe(stepError);
    expect(order).toEqual(["delete", "undo first"]);
    expect(j.step).toBe("delete");
    expect(j.undoFailures).toEqual([{ label: "second", error: undoError }]);
  });

  it("restores the enclosing run's step name after a nested run", async () => {
    const j = new Journal();
    const seen: Array<string | undefined> = [];
    await runSteps(j, [
      {
        name: "outer",
        run: async () => {
          await runSteps(j, [{ name: "inner", run: async () => void seen.push(j.step) }]);
          seen.push(j.step);
        },
      },
    ]);
    expect(seen).toEqual(["inner", "outer"]);
  });
});

describe("mayHaveTakenEffect", () => {
  const apiError = (kind: ConstructorParameters<typeof ApiError>[1]) =>
    new ApiError("ModifyImageAttribute", kind, undefined, undefined, 1, "failed");

  it("is true for network and server errors only", () => {
    expect(mayHaveTakenEffect(apiError("network"))).toBe(true);
    expect(mayHaveTakenEffect(apiError("server"))).toBe(true);
    expect(mayHaveTakenEffect(apiError("client"))).toBe(false);
    expect(mayHaveTakenEffect(new Error("x"))).toBe(false);
  });
});
