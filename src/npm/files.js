// files.js - the npm package's file layer where emscripten's (NODERAWFS,
// which reaches Node's file system directly) meets files otherwise than a
// native program does; a library of the link (--js-library, Makefile,
// target npm), so that it may replace the loader's own functions and name
// the C library's constants (cDefine) as they are in this build.
//
//   - A directory's entries are their names' bytes, as the kernel gives
//     them: Node decoded them as UTF-8, so a name that is not (a rule
//     file's) arrived with U+FFFD in its place, could not be opened, and
//     was passed over without the error the native program gives.
//   - A path that is not valid UTF-8 fails with EILSEQ: Node takes paths
//     as text, and the loader decoded one with U+FFFD for each bad byte,
//     so that a file of the project so named was not found (ENOENT) and
//     passed over without a word; now the program reports it and fails,
//     as natively (where the name is refused as not valid UTF-8).
//   - A directory's entries carry the type Node reads with their names
//     (the kernel's d_type, or lstat where the file system gives none):
//     the loader's getdents64 called every entry that is not a directory,
//     a link or a character device a regular file, and looked each up
//     twice (two lstat calls).  count DIR then opened a FIFO, a socket or
//     a block device of the tree as a file: a FIFO hung for ever, a socket
//     failed the count, a block device would have been read, where the
//     native walk passes over all three.
//   - open() keeps O_NONBLOCK and O_DIRECTORY, which the loader dropped:
//     the program opens what it has not yet looked at (an entry, a table,
//     an ignore file) without blocking, then refuses what fstat() says is
//     not a regular file; without O_NONBLOCK opening a FIFO waited for a
//     writer for ever before the program could look.
//   - readlink() of what is not a link fails without Node's error: a
//     realpath() asks it of every component of a path, and Node made an
//     Error, stack trace and all, for each (a CLAUDE.md of 100,000
//     imports took 4 s, 300,000 of them).
//   - A path relative to a directory (the working one, or a descriptor's,
//     as openat() and fstatat() take it) is handed to Node joined to it as
//     it is: the loader's join took away each `..` with the name before
//     it, without asking whether that name was a link, so that `count
//     link/..` counted the directory the link is in, not the one above its
//     target.
//   - A name of a path longer than 255 characters is refused with
//     ENAMETOOLONG, as the system refuses it: the loader's open() cut
//     each name of a path to 255 characters (a limit of its in-memory file
//     system), so that the program opened another file than the one named,
//     and -o left a file under the cut name of its temporary one.
//   - On Windows the program sees every path in one POSIX form and gives
//     it back to Node from it (winpath.js): the working directory, a
//     link's target and each path the program asks for pass here.
//   - A write to a pipe whose reader has gone ends the process as SIGPIPE
//     ends the native program, silently (status 141 to a shell): Node
//     ignores that signal, so the write failed instead and the program
//     said "Broken pipe" and exited 3, even with -q.
mergeInto(LibraryManager.library, {
  $paFileLayer__deps: ['$FS', '$NODEFS', '$ERRNO_CODES', '$SYSCALLS'],
  $paFileLayer__postset: 'addOnPreRun(paFileLayer);',
  $paFileLayer: function () {
    var kept = [[{{{ cDefine('O_NONBLOCK') }}}, fs.constants.O_NONBLOCK],
                [{{{ cDefine('O_DIRECTORY') }}}, fs.constants.O_DIRECTORY]];
    var forNode = NODEFS.flagsForNode;
    NODEFS.flagsForNode = function (flags) {
      var add = 0;
      kept.forEach(function (k) {
        if ((flags & k[0]) && k[1])
          add |= k[1];
      });
      return forNode(flags) | add;
    };

    var win = process.platform === 'win32';
    var getStr = SYSCALLS.getStr;
    var strict = new TextDecoder('utf-8', { fatal: true });
    SYSCALLS.getStr = function (ptr) {
      var at = ptr >>> 0, end = at, high = 0;
      while (HEAPU8[end])
        high |= HEAPU8[end++] & 0x80;
      if (high) {
        try {
          strict.decode(HEAPU8.subarray(at, end));
        } catch (e) {
          throw new FS.ErrnoError({{{ cDefine('EILSEQ') }}});
        }
      }
      if (win) {
        var to = paPathFromProgram(getStr(ptr), 'win32');
        if (to.error)
          throw new FS.ErrnoError(to.error === 'ENOENT' ? {{{ cDefine('ENOENT') }}} :
                                  {{{ cDefine('EINVAL') }}});
        return to.path;
      }
      return getStr(ptr);
    };
    if (win) {
      var cwd = FS.cwd;
      FS.cwd = function () {
        return paPathToProgram(cwd.apply(this, arguments), 'win32');
      };
    }

    var calculateAt = SYSCALLS.calculateAt;
    SYSCALLS.calculateAt = function (dirfd, path, allowEmpty) {
      // (on Windows the path as Node is given it: C:/x is absolute)
      if (paPathIsAbsolute(path, process.platform))
        return path;
      if (!path.length)
        return calculateAt.apply(this, arguments);
      // Node's calls resolve it from the working directory, as the
      // system's do.
      if (dirfd === {{{ cDefine('AT_FDCWD') }}})
        return path;
      var dir = calculateAt(dirfd, '', true);
      return dir + (dir[dir.length - 1] === '/' ? '' : '/') + path;
    };

    var open = FS.open;
    var names = process.platform === 'win32' ? /[\\/]/ : '/';
    FS.open = function (path) {
      if (typeof path == 'string' && path.split(names).some(function (n) { return n.length > 255; }))
        throw new FS.ErrnoError({{{ cDefine('ENAMETOOLONG') }}});
      return open.apply(this, arguments);
    };

    var readlink = FS.readlink;
    FS.readlink = function (path) {
      var st;
      try {
        st = fs.lstatSync(path, { throwIfNoEntry: false });
      } catch (e) {
        st = undefined; // readlink says what is wrong
      }
      if (st && !st.isSymbolicLink())
        throw new FS.ErrnoError({{{ cDefine('EINVAL') }}});
      return paPathToProgram(readlink.apply(this, arguments), process.platform, true);
    };

    var write = FS.write;
    FS.write = function () {
      try {
        return write.apply(this, arguments);
      } catch (e) {
        if (e instanceof FS.ErrnoError && e.errno === {{{ cDefine('EPIPE') }}}) {
          // Node set SIGPIPE's action to ignore it; with a listener
          // added and removed, libuv sets it back to the default, which
          // ends the process.
          var none = function () {};
          process.on('SIGPIPE', none);
          process.removeListener('SIGPIPE', none);
          process.kill(process.pid, 'SIGPIPE');
        }
        throw e;
      }
    };
  },

  __syscall_getdents64__deps: ['$FS', '$SYSCALLS', '$ERRNO_CODES', '$paFileLayer'],
  __syscall_getdents64: function (fd, dirp, count) {
    try {
      var stream = SYSCALLS.getStreamFromFD(fd);
      if (!stream.getdents) {
        var list;
        try {
          list = fs.readdirSync(stream.path, { withFileTypes: true, encoding: 'buffer' });
        } catch (e) {
          if (e.code && ERRNO_CODES[e.code])
            throw new FS.ErrnoError(ERRNO_CODES[e.code]);
          throw e;
        }
        stream.getdents = [{ name: Buffer.from('.'), type: 4 },
                           { name: Buffer.from('..'), type: 4 }];
        list.forEach(function (d) {
          stream.getdents.push({
            name: d.name,
            type: d.isFile() ? 8 : d.isDirectory() ? 4 : d.isSymbolicLink() ? 10 :
                  d.isFIFO() ? 1 : d.isSocket() ? 12 : d.isCharacterDevice() ? 2 :
                  d.isBlockDevice() ? 6 : 0
          });
        });
      }
      var size = {{{ C_STRUCTS.dirent.__size__ }}};
      var pos = 0;
      var idx = Math.floor(FS.llseek(stream, 0, {{{ cDefine('SEEK_CUR') }}}) / size);
      while (idx < stream.getdents.length && pos + size <= count) {
        var e = stream.getdents[idx];
        // No inode number comes with a name; nothing of the program
        // reads it, and it is not 0 (an entry some readers skip).
        {{{ makeSetValue('dirp + pos', C_STRUCTS.dirent.d_ino, 'idx + 1', 'i64') }}};
        {{{ makeSetValue('dirp + pos', C_STRUCTS.dirent.d_off, '(idx + 1) * size', 'i64') }}};
        {{{ makeSetValue('dirp + pos', C_STRUCTS.dirent.d_reclen, 'size', 'i16') }}};
        {{{ makeSetValue('dirp + pos', C_STRUCTS.dirent.d_type, 'e.type', 'i8') }}};
        // (an address past 2 GB comes as a negative number)
        var name = e.name.subarray(0, 255);
        var at = (dirp + pos + {{{ C_STRUCTS.dirent.d_name }}}) >>> 0;
        HEAPU8.set(name, at);
        HEAPU8[at + name.length] = 0;
        pos += size;
        idx += 1;
      }
      FS.llseek(stream, idx * size, {{{ cDefine('SEEK_SET') }}});
      return pos;
    } catch (e) {
      if (typeof FS == 'undefined' || !(e instanceof FS.ErrnoError))
        throw e;
      return -e.errno;
    }
  }
});
