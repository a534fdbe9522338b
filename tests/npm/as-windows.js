// node as-windows.js DRIVE_C CWD PROGRAM ARGS...: runs the npm package's
// PROGRAM (bin/promptasm.js) as Node on Windows would give it paths, as
// far as that can be made on this system: process.platform is win32, the
// working directory is CWD (C:\...), and Node's file calls take a path
// C:\x or C:/x as DRIVE_C/x, a relative one from CWD, with `\` and `/`
// alike and its `..` resolved as Windows resolves them, and refuse
// another rooted path (ENOENT), but the package's own files (under the
// directory of PROGRAM's package) and /dev, /proc.  A simulation of the
// paths only, by tests/npm/run.sh: nothing here runs Windows
// (docs/packaging.md, "Windows").
'use strict';
const fs = require('fs'), path = require('path');
const drive = path.resolve(process.argv[2]), cwd = process.argv[3];
const own = path.resolve(path.dirname(process.argv[4]), '..') + '/';
function onLinux(p) {
  if (typeof p !== 'string')
    return p;
  if (/^[A-Za-z]:[\\/]/.test(p))
    return drive + '/' + path.posix.normalize(p.slice(3).replace(/\\/g, '/'));
  if (p.startsWith(own) || /^\/(dev|proc)\//.test(p))
    return p;
  if (/^[\\/]/.test(p))
    throw Object.assign(new Error('as-windows: ' + p), { code: 'ENOENT' });
  return onLinux(cwd + '\\' + p);
}
Object.defineProperty(process, 'platform', { value: 'win32' });
process.cwd = () => cwd;
for (const k of Object.keys(fs)) {
  if (/Sync$/.test(k) && typeof fs[k] === 'function') {
    const f = fs[k];
    fs[k] = function (p, ...rest) {
      return f.call(this, onLinux(p), ...rest);
    };
  }
}
process.argv.splice(1, 3);
require(process.argv[1]);
