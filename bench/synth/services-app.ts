// The baseline a platform team has: its services stack and the same four cdk-nag packs, no library loaded.
import { runSynth } from './harness';
import { addPlatformServices } from './platform-services';
import { addCompliancePacks } from '../../examples/shared/compliance';

runSynth((app) => {
  addPlatformServices(app);
  addCompliancePacks(app);
});
