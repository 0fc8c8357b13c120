// tccli profile files (~/.tccli/<name>.credential and <name>.configure): read, checked, and named
// without their content. No file system: files are served from a map.
import * as path from "node:path";
import {
  expandHome,
  parseConfigureFile,
  parseCredentialFile,
  readProfile,
  shownPath,
} from "../../../provider/src/cloud/profiles";

const HOME = "/home/u";
const TCCLI = path.join(HOME, ".tccli");

/** A file reader over `files` (absolute path → content). */
const filesOf = (files: Record<string, string>) => (file: string) => files[file];

const files = filesOf({
  [path.join(TCCLI, "build.credential")]: JSON.stringify({ secretId: "AKIDbuild", secretKey: "AKIDbuild-key" }),
  [path.join(TCCLI, "build.configure")]: JSON.stringify({
    _sys_param: { region: "ap-beijing", output: "json" },
    cvm: { endpoint: "cvm.tencentcloudapi.com", version: "2017-03-12" },
  }),
});

describe("tccli files", () => {
  test("a credential file: secretId, secretKey and token are read, trimmed; nothing else", () => {
    expect(
      parseCredentialFile(JSON.stringify({ secretId: " AKIDa ", secretKey: "k", token: "t", type: "default" }), "f"),
    ).toEqual({ secretId: "AKIDa", secretKey: "k", token: "t" });
    expect(parseCredentialFile(JSON.stringify({ secretId: "AKIDa", secretKey: "k" }), "f")).toEqual({
      secretId: "AKIDa",
      secretKey: "k",
    });
  });
  test("an unusable credential file names the file and what is missing, never its content", () => {
    const secret = "topsecretvalue123";
    for (const [text, re] of [
      [`{"secretId": "${secret}"`, /~\/\.tccli\/x\.credential is not valid JSON/],
      [JSON.stringify({ secretId: secret }), /has no secretKey/],
      [JSON.stringify({ secretKey: secret }), /has no secretId/],
      [
        JSON.stringify({
          secretId: secret,
          secretKey: secret,
          "role-arn": "qcs::cam::uin/1:roleName/r",
          "role-session-name": "s",
        }),
        /asks for a role/,
      ],
      [JSON.stringify({ type: "cvm-role" }), /asks for a role/],
    ] as const) {
      let message = "";
      try {
        parseCredentialFile(text, "~/.tccli/x.credential");
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(re);
      expect(message).not.toContain(secret);
    }
  });
  test("a configure file gives `_sys_param.region`; anything unreadable gives none", () => {
    expect(
      parseConfigureFile(JSON.stringify({ _sys_param: { region: "ap-guangzhou", output: "json", arrayCount: 10 } })),
    ).toEqual({ region: "ap-guangzhou" });
    expect(parseConfigureFile("{")).toEqual({});
    expect(parseConfigureFile(JSON.stringify({ region: "ap-guangzhou" }))).toEqual({});
  });
  test("readProfile: undefined without a credential file; the region from the configure file", () => {
    expect(readProfile("nope", TCCLI, { home: HOME, readFile: files })).toBeUndefined();
    expect(readProfile("build", TCCLI, { home: HOME, readFile: files })).toMatchObject({
      name: "build",
      shownFile: "~/.tccli/build.credential",
      region: "ap-beijing",
    });
  });
  test("paths: ~ expanded, and shown with ~ under the home folder", () => {
    expect(expandHome("~/.tccli", HOME)).toBe(TCCLI);
    expect(expandHome("/abs", HOME)).toBe("/abs");
    expect(shownPath(path.join(TCCLI, "a.credential"), HOME)).toBe("~/.tccli/a.credential");
    expect(shownPath("/srv/a.credential", HOME)).toBe("/srv/a.credential");
  });
});

describe("profile names", () => {
  test("a name that could leave the profile folder is refused before any file is read", () => {
    const read: string[] = [];
    const reader = (file: string): string | undefined => {
      read.push(file);
      return undefined;
    };
    for (const name of ["../build", "a/b", "", ".hidden"])
      expect(() => readProfile(name, TCCLI, { home: HOME, readFile: reader })).toThrow(/is not a profile name/);
    expect(read).toEqual([]);
  });
});
