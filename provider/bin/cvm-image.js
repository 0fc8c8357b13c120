#!/usr/bin/env node
"use strict";
// `cvm-image`: see `cvm-image help`. The dispatcher lives in src/cli (compiled to dist/cli).
require("../dist/cli").main(process.argv.slice(2));
