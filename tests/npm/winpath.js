// The npm package's paths on Windows (src/npm/winpath.js), tested with
// node alone, on any system, the platform being an argument: a table of
// what Node gives (working directory, arguments, variables, links'
// targets) and of what the program asks for, and what each becomes.
// Nothing runs Windows here: this holds the translation to its rules,
// not Windows to them (docs/packaging.md, "Windows").
// Prints one line per failure and `N passed, N failed`; exits 1 on a
// failure.  Run by tests/suites/run-npm-package.sh.
'use strict';
var fs = require('fs'), path = require('path'), vm = require('vm');
var w = {};
vm.runInNewContext(fs.readFileSync(path.join(__dirname, '../../src/npm/winpath.js'), 'utf8'), w);
var passed = 0, failed = 0;
function check(what, got, want) {
  if (JSON.stringify(got) === JSON.stringify(want)) {
    passed++;
  } else {
    failed++;
    console.log('FAIL ' + what + ': ' + JSON.stringify(got) + ', want ' + JSON.stringify(want));
  }
}

// From Node to the program: [given, link?, want].
[
  ['C:\\Users\\me\\proj', 0, '/C:/Users/me/proj'],
  ['c:\\Users\\me', 0, '/C:/Users/me'],
  ['C:/Users/me', 0, '/C:/Users/me'],
  ['C:\\', 0, '/C:/'],
  ['C:\\Users/me\\mixed/x', 0, '/C:/Users/me/mixed/x'],
  ['\\\\?\\C:\\Users\\me', 0, '/C:/Users/me'],
  ['\\\\.\\C:\\Users\\me', 0, '/C:/Users/me'],
  ['\\\\server\\share\\x', 0, '/UNC/server/share/x'],
  ['//server/share', 0, '/UNC/server/share'],
  ['\\\\?\\UNC\\server\\share\\x', 0, '/UNC/server/share/x'],
  // not a path the program may name: left, to be refused when used
  ['\\\\.\\PhysicalDrive0', 0, '\\\\.\\PhysicalDrive0'],
  ['C:relative', 0, 'C:relative'],
  ['\\rooted', 0, '\\rooted'],
  ['..\\..\\x', 0, '..\\..\\x'],
  ['a regex a\\.b', 0, 'a regex a\\.b'],
  // a link's target, relative: Windows reads its backslashes as `/`
  ['..\\..\\x', 1, '../../x'],
  ['C:\\target', 1, '/C:/target'],
  ['\\\\.\\PhysicalDrive0', 1, '//./PhysicalDrive0']
].forEach(function (t) {
  check('to program ' + t[0], w.paPathToProgram(t[0], 'win32', t[1]), t[2]);
  check('not win32 ' + t[0], w.paPathToProgram(t[0], 'linux', t[1]), t[0]);
  check('not win32 ' + t[0], w.paPathToProgram(t[0], 'darwin', t[1]), t[0]);
});

// From the program to Node: [asked, want].
[
  ['/C:/Users/me/proj/CLAUDE.md', { path: 'C:/Users/me/proj/CLAUDE.md' }],
  ['/c:/x', { path: 'c:/x' }],
  ['/C:', { path: 'C:/' }],
  ['/C:/', { path: 'C:/' }],
  ['/UNC/server/share/x', { path: '//server/share/x' }],
  ['CLAUDE.md', { path: 'CLAUDE.md' }],
  ['docs/../a.md', { path: 'docs/../a.md' }],
  // a name the program's checks took as one, which Windows splits
  ['/C:/Users/me/proj/..\\..\\secret.md', { error: 'EINVAL' }],
  ['..\\..\\secret.md', { error: 'EINVAL' }],
  ['/C:/proj/a\\b', { error: 'EINVAL' }],
  ['/C:/proj/\\\\server\\share', { error: 'EINVAL' }],
  // a drive, a stream or a device where the program saw a name
  ['/C:/proj/D:/secret', { error: 'EINVAL' }],
  ['C:secret.md', { error: 'EINVAL' }],
  ['D:/secret.md', { error: 'EINVAL' }],
  ['/C:/proj/a.md::$DATA', { error: 'EINVAL' }],
  // names Windows takes the final dots and spaces from
  ['/C:/proj/.. /secret.md', { error: 'EINVAL' }],
  ['/C:/proj/.../x', { error: 'EINVAL' }],
  ['/C:/proj/a.md.', { error: 'EINVAL' }],
  ['/C:/proj/a.md ', { error: 'EINVAL' }],
  ['/C:/proj/./a/../b', { path: 'C:/proj/./a/../b' }],
  // under / but neither a drive nor /UNC: nothing is there
  ['/', { error: 'ENOENT' }],
  ['/.git', { error: 'ENOENT' }],
  ['/dev/null', { error: 'ENOENT' }],
  ['/UNC', { error: 'ENOENT' }],
  ['/UNC/', { error: 'ENOENT' }],
  ['//server/share', { error: 'ENOENT' }]
].forEach(function (t) {
  check('from program ' + t[0], w.paPathFromProgram(t[0], 'win32'), t[1]);
  check('not win32 ' + t[0], w.paPathFromProgram(t[0], 'linux'), { path: t[0] });
});

// Every path from Node the program may name comes back to the same file.
['C:\\Users\\me\\proj', '\\\\server\\share\\x', 'C:\\'].forEach(function (p) {
  var q = w.paPathFromProgram(w.paPathToProgram(p, 'win32'), 'win32').path;
  check('round trip ' + p, q && q.replace(/\//g, '\\'), p);
});

check('absolute C:/x', w.paPathIsAbsolute('C:/x', 'win32'), true);
check('absolute //server/share', w.paPathIsAbsolute('//server/share', 'win32'), true);
check('relative a/b', w.paPathIsAbsolute('a/b', 'win32'), false);
check('linux C:/x', w.paPathIsAbsolute('C:/x', 'linux'), false);
check('linux /x', w.paPathIsAbsolute('/x', 'linux'), true);

// The environment: paths in the program's form, HOME from USERPROFILE.
check('env win32', w.paEnvToProgram({ USERPROFILE: 'C:\\Users\\me', PATH: 'C:\\a;C:\\b',
                                      X: 'text' }, 'win32'),
      { USERPROFILE: '/C:/Users/me', PATH: 'C:\\a;C:\\b', X: 'text', HOME: '/C:/Users/me' });
check('env win32 HOME set', w.paEnvToProgram({ HOME: 'D:\\home', USERPROFILE: 'C:\\Users\\me' }, 'win32'),
      { HOME: '/D:/home', USERPROFILE: '/C:/Users/me' });
check('env linux', w.paEnvToProgram({ USERPROFILE: 'C:\\Users\\me', X: 'C:\\x' }, 'linux'),
      { USERPROFILE: 'C:\\Users\\me', X: 'C:\\x' });

console.log(passed + ' passed, ' + failed + ' failed');
process.exit(failed ? 1 : 0);
