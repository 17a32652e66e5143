// The bare app's stack with the library's invoke role instead of a plain role: the smallest use.
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { runSynth } from './harness';
import { BedrockInvokeRole, ModelReference } from '../../lib';

runSynth((app) => {
  const stack = new Stack(app, 'Bare', { env: { region: 'us-east-1' } });
  new BedrockInvokeRole(stack, 'Role', {
    models: [ModelReference.parse('us.anthropic.claude-sonnet-4-6'), ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0')],
    trustedPrincipals: [new iam.AccountPrincipal('111122223333')],
  });
});
