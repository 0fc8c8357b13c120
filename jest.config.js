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
  ...extra,
});
module.exports = {
  projects: [
    project("unit"),
    project("emulator"),
    project("provider"),
    project("e2e", { slowTestThreshold: 120 }),
  ],
  testTimeout: 60000,
};
