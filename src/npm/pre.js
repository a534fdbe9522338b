// pre.js - joined to the front of the module emscripten writes for the
// npm package (Makefile, target npm): the program gets the environment of
// the Node process that runs it, whole, as a native program gets its own.
// emscripten's loader otherwise gives it a few made-up variables (HOME
// /home/web_user, PATH /, USER web_user) and none of the process's.
Module['preRun'] = Module['preRun'] || [];
Module['preRun'].push(function () {
  ['USER', 'LOGNAME', 'PATH', 'PWD', 'HOME', 'LANG', '_'].forEach(function (k) {
    ENV[k] = undefined;
  });
  Object.keys(process.env).forEach(function (k) {
    ENV[k] = process.env[k];
  });
});
