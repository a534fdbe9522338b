#!/usr/bin/env node
// The npm package's `promptasm`: runs the program, built to WebAssembly,
// with this process's arguments, environment, working directory and
// standard streams; its exit status is the program's.
'use strict';
require('../lib/promptasm.js');
