#!/usr/bin/env node
// The npm package's `promptasm`: runs the program, built to WebAssembly,
// with this process's arguments, environment, working directory and
// standard streams; its exit status is the program's.
'use strict';
// V8 compiles each WebAssembly function first with its baseline compiler
// and compiles it again, optimized, in the background once it has run a
// while (its "tiering budget", by default about 1.8 MB of code executed).
// A run of the program is short: by default it recompiled the YAML parser
// and the allocator (about 0.2 s of processor on other threads, for
// reading a tokenizer's 2 KB description) and waited at exit for those
// compilations to finish.  Ten times the budget leaves those alone and
// still optimizes the loops of a count of megabytes; a count's speed did
// not change (docs/speed.md, "The npm package").  And one thread of
// those compilations, not one per function at once: on a machine of two
// cores they took the core the count ran on.  Set before the module is
// compiled, as the flags are read then.
require('v8').setFlagsFromString('--wasm-tiering-budget=20000000');
require('v8').setFlagsFromString('--wasm-num-compilation-tasks=1');
require('../lib/promptasm.js');
