#!/usr/bin/env node
// The main thread's young generation kept small (4 MB semi-spaces, where V8 lets it grow to 16): it only
// counts and writes what the workers render, whose garbage dies young, and the default let it hold tens of
// MB of it. Set before the command's modules load; the workers' heaps have their own limits (workers.ts).
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--max-semi-space-size=4');
const { main } = await import('../dist/cli.js');

process.exitCode = await main(process.argv);
