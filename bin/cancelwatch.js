#!/usr/bin/env node
// The compiled CLI is built by `npm ci` (prepare script); this shim keeps the bin path stable.
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
