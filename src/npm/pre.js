// pre.js - joined to the front of the module emscripten writes for the
// npm package (Makefile, target npm), to give the program what a native
// one gets from its process:
//   - the environment of the Node process that runs it, whole: emscripten's
//     loader otherwise gives it a few made-up variables (HOME
//     /home/web_user, PATH /, USER web_user) and none of the process's;
//   - standard streams that are terminals only when they are: the loader
//     marks all three as terminals, so that the C library line-buffers
//     standard output into a file or a pipe, and output and messages
//     come out in another order than natively.
Module['preRun'] = Module['preRun'] || [];
Module['preRun'].push(function () {
  ['USER', 'LOGNAME', 'PATH', 'PWD', 'HOME', 'LANG', '_'].forEach(function (k) {
    ENV[k] = undefined;
  });
  Object.keys(process.env).forEach(function (k) {
    ENV[k] = process.env[k];
  });
});
Module['onRuntimeInitialized'] = function () {
  var tty = require('tty');
  for (var fd = 0; fd < 3; fd++) {
    if (FS.streams[fd]) FS.streams[fd].tty = tty.isatty(fd);
  }
};
