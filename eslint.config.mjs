// @ts-check
// `npm run lint`: a correctness rule set (ESLint's and typescript-eslint's recommended rules) and the
// layers of the provider (provider/README.md, "Rooms"): each room imports only the rooms below it.
//   schema/      the single source: imports nothing of the project
//   cloud/       calls, budgets, call sharing, the process state: imports schema/
//   provider/    the verbs: imports schema/ and cloud/
//   preflight/   the CI assessment: imports schema/, cloud/, provider/ (and cli/suggest)
//   resource/    the public classes: anything but preflight/ and cli/
// A pure rule module (`*-rules.ts`) imports values only from schema/ and other rule modules.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** `no-restricted-imports` for one room: the relative paths it may not take. */
const forbid = (files, groups, message, allowTypeImports = false) => ({
  files,
  rules: {
    "no-restricted-imports": ["error", { patterns: [{ group: groups, message, allowTypeImports }] }],
  },
});
const SRC = "provider/src";
const PURE =
  "A pure rule module imports values only from schema/ and other *-rules.ts modules (types from anywhere below).";
/** The pure rule modules of one room: values from schema/ and rule modules only; types also from the rooms below it. */
const rulesRoom = (room, above) => ({
  files: [`${SRC}/${room}/**/*-rules.ts`],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          {
            group: ["./*", "!./*-rules", "../*/*", "!../*/*-rules", "!../schema/*"],
            message: PURE,
            allowTypeImports: true,
          },
          { group: above.map((room) => `../${room}/*`), message: PURE },
        ],
      },
    ],
  },
});

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "**/docs/api/**",
      ".stryker-tmp/**",
      "reports/**",
      "tests/e2e/.work/**",
    ],
  },
  {
    files: [`${SRC}/**/*.ts`, "emulator/src/**/*.ts"],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    rules: {
      // The serialized shim loads the implementation by package name at call time (resource/shim.ts).
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  forbid([`${SRC}/schema/**/*.ts`], ["../*"], "schema/ is the single source: it imports nothing of the project."),
  forbid(
    [`${SRC}/cloud/**/*.ts`],
    ["../provider/*", "../preflight/*", "../resource/*", "../cli/*", "../retention/*", "../index"],
    "cloud/ sits below the verbs: it imports only schema/ and cloud/.",
  ),
  forbid(
    [`${SRC}/provider/**/*.ts`],
    ["../preflight/*", "../resource/*", "../cli/*", "../retention/*", "../index"],
    "provider/ imports only schema/, cloud/ and provider/.",
  ),
  forbid(
    [`${SRC}/retention/**/*.ts`],
    ["../preflight/*", "../resource/*", "../cli/*", "../index"],
    "retention/ imports only schema/, cloud/, provider/ and retention/.",
  ),
  forbid([`${SRC}/preflight/**/*.ts`], ["../resource/*", "../index"], "preflight/ does not import the public classes."),
  forbid([`${SRC}/resource/**/*.ts`], ["../preflight/*", "../cli/*", "../index"], "resource/ does not import the CLI."),
  rulesRoom("cloud", ["provider", "preflight", "resource", "cli", "retention"]),
  rulesRoom("provider", ["preflight", "resource", "cli", "retention"]),
  rulesRoom("retention", ["preflight", "resource", "cli"]),
);
