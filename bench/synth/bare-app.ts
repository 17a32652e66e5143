// The baseline: a bare aws-cdk-lib app with one role, nothing of this library loaded.
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { runSynth } from './harness';

runSynth((app) => {
  const stack = new Stack(app, 'Bare', { env: { region: 'us-east-1' } });
  new iam.Role(stack, 'Role', { assumedBy: new iam.AccountPrincipal('111122223333') });
});
