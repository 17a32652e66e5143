// The platform team's app with the library's front door added (MEASURED_APP), packs registered once by it.
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { runSynth } from './harness';
import { MEASURED_APP } from './measured-app';
import { addPlatformServices } from './platform-services';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildApp } = require(path.join(__dirname, '..', '..', MEASURED_APP)) as { buildApp(app: App): unknown };

runSynth((app) => {
  addPlatformServices(app);
  buildApp(app);
});
