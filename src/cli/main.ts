#!/usr/bin/env node
import { runCli } from './cli.js';
import { tuneHeap } from '../pipeline/heap.js';
import { processIo } from './io.js';

tuneHeap();
process.exitCode = await runCli(process.argv.slice(2), processIo());
