// Preloaded (node -r) into app runs: jsii libraries print `[WARNING] <api> is deprecated` through
// console.warn. This names who called the deprecated API: the first stack frame outside the package
// that warns. A call from one of TRACE_LIBRARY_DIRS (path-delimited; the installed library) is printed
// as a `DEPRECATED-CALL-BY <dir>` line, which the toolchain tests refuse.
// jsii warns once per API and process: a caller outside these folders that comes first hides later ones.
'use strict';
const path = require('path');

const watched = (process.env.TRACE_LIBRARY_DIRS ?? '').split(path.delimiter).filter(Boolean).map((d) => path.resolve(d));
Error.stackTraceLimit = 100;
const warn = console.warn.bind(console);
const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/** The package folder (under node_modules) a file belongs to, or the file itself. */
function packageOf(file) {
  const i = file.lastIndexOf(NODE_MODULES);
  if (i < 0) return file;
  const rest = file.slice(i + NODE_MODULES.length).split(path.sep);
  return file.slice(0, i + NODE_MODULES.length) + rest.slice(0, rest[0].startsWith('@') ? 2 : 1).join(path.sep);
}

console.warn = (...args) => {
  const text = args.join(' ');
  if (/is deprecated/.test(text)) {
    // Frames below this wrapper: the warning module first, then its package, then the caller.
    const files = (new Error().stack ?? '').split('\n').slice(2)
      .map((line) => /((?:\/|[A-Za-z]:\\)[^():]+):\d+:\d+\)?$/.exec(line.trim()))
      .filter(Boolean).map((m) => path.resolve(m[1]));
    const warner = files.length ? packageOf(files[0]) : '';
    const caller = files.find((f) => packageOf(f) !== warner);
    const dir = caller && watched.find((d) => caller.startsWith(d + path.sep));
    if (dir) {
      process.stderr.write(`DEPRECATED-CALL-BY ${dir}: ${text.split('\n')[0]} (called at ${caller})\n`);
    }
  }
  warn(...args);
};
