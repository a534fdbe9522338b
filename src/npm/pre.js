// pre.js - joined to the front of the module emscripten writes for the
// npm package (Makefile, target npm), to give the program what a native
// one gets from its process:
//   - the environment of the Node process that runs it, whole: emscripten's
//     loader otherwise gives it a few made-up variables (HOME
//     /home/web_user, PATH /, USER web_user) and none of the process's;
//     on Windows its paths, and the arguments that are one, in the form
//     the program reads (winpath.js), HOME the user's profile when unset;
//   - standard streams that are terminals only when they are: the loader
//     marks all three as terminals, so that the C library line-buffers
//     standard output into a file or a pipe, and output and messages
//     come out in another order than natively;
//   - a mapped file (the tokenizer's table) read straight into the memory
//     taken for it: the loader's mmap() zeroes that memory whole first,
//     which, for o200k_base's 18 MB table, cost more than the read;
//   - the process's umask: emscripten's C library starts with its own,
//     0777, so that a file the program writes afresh (which it gives 0666
//     less the umask, as a shell would) was left with no permissions.
// And it loads no more of Node than the program asks for: Node's modules
// for terminals (tty) and for random bytes (crypto) took about 5 ms each
// to load at every start, where a count needs neither.

// The loader's random device (/dev/random, /dev/urandom) takes its bytes
// from a global crypto when there is one; this one loads Node's crypto
// module the first time bytes are asked for, not at start (the global
// crypto of Node 20 is loaded when it is first looked at).
var crypto = {
  getRandomValues: function (a) {
    return require('crypto').getRandomValues(a);
  }
};

// Whether descriptor fd is a terminal, asked when the program first asks.
// Only a character device can be one; of those, /dev/null (where output
// is thrown away, as often) is told without Node's tty module.
function isTerminal(fd) {
  var fs = require('fs'), st, nul;
  try {
    st = fs.fstatSync(fd);
  } catch (e) {
    return false;
  }
  if (!st.isCharacterDevice())
    return false;
  try {
    nul = fs.statSync('/dev/null');
    if (st.rdev === nul.rdev && st.ino === nul.ino && st.dev === nul.dev)
      return false;
  } catch (e) {
  }
  return require('tty').isatty(fd);
}

if (process.platform === 'win32')
  Module['arguments'] = process.argv.slice(2).map(function (a) {
    return paPathToProgram(a, 'win32');
  });

Module['preRun'] = Module['preRun'] || [];
Module['preRun'].push(function () {
  ['USER', 'LOGNAME', 'PATH', 'PWD', 'HOME', 'LANG', '_'].forEach(function (k) {
    ENV[k] = undefined;
  });
  var env = paEnvToProgram(process.env, process.platform);
  Object.keys(env).forEach(function (k) {
    ENV[k] = env[k];
  });
  var mmapZeroed = FS.mmap;
  FS.mmap = function (stream, address, length, position, prot, flags) {
    if (stream.stream_ops || address !== 0 || !(length > 0))
      return mmapZeroed.apply(this, arguments);
    var size = alignMemory(length, 65536);
    var ptr = _emscripten_builtin_memalign(65536, size);
    var got = 0, n;
    if (!ptr) throw new FS.ErrnoError(48);
    try {
      // HEAP8 read at each turn: taking the memory may have grown it.
      while (got < length &&
             (n = FS.read(stream, HEAP8, ptr + got, length - got, position + got)) > 0)
        got += n;
    } catch (e) {
      _free(ptr);
      throw e;
    }
    // Past the end of the file, zeroes, as a mapping has.
    HEAPU8.fill(0, ptr + got, ptr + size);
    return { ptr: ptr, allocated: true };
  };
});
Module['onRuntimeInitialized'] = function () {
  // Read by setting it (process.umask() without one is deprecated), and
  // set back at once.
  var mask = process.umask(0o022);
  process.umask(mask);
  _umask(mask);
  for (var fd = 0; fd < 3; fd++) {
    if (FS.streams[fd]) {
      (function (stream, fd) {
        Object.defineProperty(stream, 'tty', {
          configurable: true,
          enumerable: true,
          get: function () {
            var is = isTerminal(fd);
            Object.defineProperty(stream, 'tty', { value: is, writable: true,
              configurable: true, enumerable: true });
            return is;
          },
          set: function (v) {
            Object.defineProperty(stream, 'tty', { value: v, writable: true,
              configurable: true, enumerable: true });
          }
        });
      })(FS.streams[fd], fd);
    }
  }
};
