// Synthesizes several apps in one Node.js process, so aws-cdk-lib and its CloudFormation schemas load once.
// argv: a JSON list of { name, file }. Each app's output is framed by `@@APP <name>` and `@@END <name> <ok|failed>`
// lines; an app fails when it throws or sets a non-zero exit code (how a failed validation ends `cdk synth`).
'use strict';
const path = require('path');

const apps = JSON.parse(process.argv[2]);
const outRoot = process.env.CDK_OUTDIR;
for (const app of apps) {
  process.stdout.write(`@@APP ${app.name}\n`);
  process.stderr.write(`@@APP ${app.name}\n`);
  process.env.CDK_OUTDIR = path.join(outRoot, app.file.replace(/[\\/.]/g, '-'));
  process.exitCode = undefined;
  let ok = true;
  try {
    const m = require(path.resolve(app.file));
    // An example synthesizes only when run as the main module; build and synthesize it the same way.
    if (typeof m.buildApp === 'function') {
      m.buildApp().synth();
    }
  } catch (e) {
    ok = false;
    process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
  }
  ok = ok && !process.exitCode;
  // Under CDK_OUTDIR an App also synthesizes when the process is about to exit; each app ran here already.
  process.removeAllListeners('beforeExit');
  process.stdout.write(`@@END ${app.name} ${ok ? 'ok' : 'failed'}\n`);
  process.stderr.write(`@@END ${app.name} ${ok ? 'ok' : 'failed'}\n`);
}
process.exitCode = 0;
