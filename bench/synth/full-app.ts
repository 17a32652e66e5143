// The library's app as users compose it (MEASURED_APP); BENCH_NO_NAG=1 drops its cdk-nag packs.
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { runSynth, withoutValidationPlugins } from './harness';
import { MEASURED_APP } from './measured-app';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildApp } = require(path.join(__dirname, '..', '..', MEASURED_APP)) as { buildApp(app: App): unknown };

runSynth((app) => {
  buildApp(app);
  if (process.env.BENCH_NO_NAG === '1') {
    withoutValidationPlugins(app);
  }
});
