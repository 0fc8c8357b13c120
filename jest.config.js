// One jest run, four groups of tests. `npm test` runs them all; `npx jest --selectProjects unit` picks one.
const transform = {
  "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tests/tsconfig.json" }],
};
const project = (name, extra = {}) => ({
  displayName: name,
  rootDir: __dirname,
  testEnvironment: "node",
  transform,
  testMatch: [`<rootDir>/tests/${name}/**/*.test.ts`],
  // Stryker's sandboxes (npm run test:mutation) hold a copy of the workspace: not modules of this run.
  modulePathIgnorePatterns: ["<rootDir>/.stryker-tmp/"],
  ...extra,
});
module.exports = {
  projects: [project("unit"), project("emulator"), project("provider"), project("e2e", { slowTestThreshold: 120 })],
  testTimeout: 60000,
};
