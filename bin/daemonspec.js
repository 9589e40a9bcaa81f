#!/usr/bin/env node
// CommonJS (bin/package.json): Node's ES loader would cost this entry about 8 ms (src/cli/launcher.ts).
'use strict';
require('../dist/bundle/cli.cjs').runCli(process.argv);
