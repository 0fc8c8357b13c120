// Jest config for `npm run test:mutation` (Stryker, stryker.config.mjs): the "unit" project of
// jest.config.js as one flat config (Stryker's jest runner wraps a single config's test environment
// to know which test covers which mutant). Left out: the unit tests that run the built dist/ or
// other processes (npm run docs:api, scripts/ensure-pulumi.sh, the cvm-image binary, the formatter and the lint), which cannot
// see a mutant in provider/src and take about 30 s of the unit run's 40.
const base = require("./jest.config.js");
const unit = base.projects.find((p) => p.displayName === "unit");

module.exports = {
  ...unit,
  displayName: undefined,
  testPathIgnorePatterns: [
    "/node_modules/",
    "/tests/unit/habits/",
    "/tests/unit/scripts/toolchain-progress\\.test\\.ts$",
    "/tests/unit/cli/index\\.test\\.ts$",
  ],
  testTimeout: base.testTimeout,
};
