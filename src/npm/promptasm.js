#!/usr/bin/env node
// The npm package's `promptasm`: runs the program, built to WebAssembly,
// with this process's arguments, environment, working directory and
// standard streams; its exit status is the program's.
'use strict';
// V8 compiles each WebAssembly function first with its baseline compiler
// and compiles it again, optimized, in the background once it has run a
// while (its "tiering budget", by default about 1.8 MB of code executed),
// and Node waits at exit for every compilation under way or queued.  A
// run of the program is short: by default it recompiled the YAML parser
// and the allocator to read a tokenizer's 2 KB description, and a check
// of three agents PCRE2's matcher (97 ms to compile, for the model names'
// patterns), and waited for that.  A third of a hundred times the budget
// leaves most of that alone (the check: 104 ms, against 222 ms at ten
// times) and still optimizes a count's loops, which run far more, early
// enough: a count of 8 MB took the same time as at ten times, where at a
// hundred times it took 8% longer (docs/speed.md, "The npm package").
// And one thread of those compilations, not one per function at once: on
// a machine of two cores they took the core the count ran on.  Set
// before the module is compiled, as the flags are read then.
require('v8').setFlagsFromString('--wasm-tiering-budget=60000000');
require('v8').setFlagsFromString('--wasm-num-compilation-tasks=1');
require('../lib/promptasm.js');
