// winpath.js - the npm package's paths on Windows (docs/packaging.md,
// "Windows"), joined to the front of the module before pre.js (Makefile,
// target npm).  The program is C of a POSIX system: it splits a path only
// at `/`, holds a path absolute only when it begins with one, and walks
// up it to `/`.  Node on Windows gives and takes paths such as
// C:\Users\me\proj, and resolves a `..` between backslashes itself, so
// that a repository's import `@..\..\secret.md`, one name to the
// program's checks that nothing outside the project is read, read a file
// outside it.  So on win32 the program sees one POSIX form of every path:
//   C:\Users\me, C:/Users/me, \\?\C:\Users\me   /C:/Users/me
//   \\server\share\x, \\?\UNC\server\share\x    /UNC/server/share/x
// which the working directory, the module's directory, the arguments and
// the variables that are such a path are given in, and a path the program
// asks for is given back to Node from it; a path of the program that has
// a backslash, a `:` elsewhere than after its drive, or a name ending in
// `.` or a space (which Windows takes away, so that `.. ` is `..`) is
// refused (EINVAL) and the program reports it naming the file, as is one
// under `/` that is neither a drive nor /UNC (ENOENT: there is nothing
// there).  A relative path has none of those and Node resolves it from
// the working directory as the system would.  Elsewhere than win32 every
// function gives its input unchanged.
// Pure functions of their arguments (the platform one of them), so that
// tests/npm/winpath.js tests them with node alone, without the package.

// The POSIX form of p, a path from Node (an argument, a variable, the
// working directory, a link's target): an absolute Windows path turned,
// anything else as it is; a link's target (link) has its backslashes
// turned to `/` even when relative, as Windows reads them.
function paPathToProgram(p, platform, link) {
  var m;
  if (platform !== 'win32' || typeof p !== 'string')
    return p;
  // \\?\ (and \\.\) before a drive or UNC\ only; another such path
  // (a device's) is left to be refused
  m = /^[\\/][\\/][?.][\\/]((UNC[\\/])|(?=[A-Za-z]:[\\/]))/i.exec(p);
  if (m)
    p = (m[2] ? '\\\\' : '') + p.slice(m[0].length);
  if (/^[A-Za-z]:[\\/]/.test(p))
    return '/' + p[0].toUpperCase() + ':/' + p.slice(3).replace(/\\/g, '/');
  if (/^[\\/][\\/](?![?.][\\/])[^\\/]/.test(p))
    return '/UNC/' + p.slice(2).replace(/\\/g, '/');
  return link ? p.replace(/\\/g, '/') : p;
}

// The path Node is given for p, a path the program asks for, as
// { path: ... }, or { error: 'EINVAL' / 'ENOENT' } when it is refused.
function paPathFromProgram(p, platform) {
  var m, rest, node;
  if (platform !== 'win32')
    return { path: p };
  if (p.indexOf('\\') >= 0)
    return { error: 'EINVAL' };
  if (p[0] === '/') {
    if ((m = /^\/([A-Za-z]):(\/|$)/.exec(p)))
      node = m[1] + ':/', rest = p.slice(m[0].length);
    else if ((m = /^\/UNC\/[^\/]/.exec(p)))
      node = '//', rest = p.slice(5);
    else
      return { error: 'ENOENT' };
  } else {
    node = '', rest = p;
  }
  if (rest.indexOf(':') >= 0 ||
      rest.split('/').some(function (n) { return n !== '.' && n !== '..' && /[. ]$/.test(n); }))
    return { error: 'EINVAL' };
  return { path: node + rest };
}

// Whether q, a path paPathFromProgram() gave, is absolute to Node.
function paPathIsAbsolute(q, platform) {
  return q[0] === '/' || (platform === 'win32' && /^[A-Za-z]:\//.test(q));
}

// The environment the program is given, from Node's env: on win32 a
// variable that is one absolute path in the POSIX form, and HOME, when
// unset, the user's profile directory (USERPROFILE, which Windows sets
// where a POSIX system sets HOME).
function paEnvToProgram(env, platform) {
  var out = {};
  Object.keys(env).forEach(function (k) {
    var v = env[k];
    out[k] = v.indexOf(';') < 0 ? paPathToProgram(v, platform) : v;
  });
  if (platform === 'win32' && !env.HOME && env.USERPROFILE)
    out.HOME = paPathToProgram(env.USERPROFILE, platform);
  return out;
}
