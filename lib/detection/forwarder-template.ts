import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnCondition, CfnParameter, CfnResource, Fn, LegacyStackSynthesizer, Stack, Token } from 'aws-cdk-lib';
import { ResolvedWatchScope } from './event-pattern';
import { NonBedrockCallForwarder } from './non-bedrock-call-forwarder';

/**
 * The forwarder as a stand-alone template for the StackSet. The central bus and the home account and
 * Region come in as parameters; in the home Region of the home account the central construct's own
 * rule watches instead, so every resource there is skipped.
 */
export function forwarderTemplate(watch: ResolvedWatchScope, forwardModelCalls = false): Record<string, unknown> {
  for (const name of watch.roleNames) {
    if (Token.isUnresolved(name)) {
      throw new Error('a watched role has no fixed name, so the StackSet template cannot name it: give the BedrockInvokeRole a roleName, or pass its name in roleNames');
    }
  }
  // A private app with its own output folder: under `cdk synth` the default one is the user's cdk.out.
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-forwarder-'));
  const app = new App({ outdir, autoSynth: false });
  const stack = new Stack(app, 'BedrockMisuseForwarder', { synthesizer: new LegacyStackSynthesizer() });
  const bus = new CfnParameter(stack, 'CentralEventBusArn', { type: 'String', description: 'ARN of the central detection event bus' });
  const homeAccount = new CfnParameter(stack, 'HomeAccountId', { type: 'String', description: 'Account of the central detection bus' });
  const homeRegion = new CfnParameter(stack, 'HomeRegion', { type: 'String', description: 'Region of the central detection bus' });
  const notHome = new CfnCondition(stack, 'NotHomeRegionOfHomeAccount', {
    expression: Fn.conditionNot(Fn.conditionAnd(
      Fn.conditionEquals(stack.account, homeAccount.valueAsString),
      Fn.conditionEquals(stack.region, homeRegion.valueAsString),
    )),
  });
  new NonBedrockCallForwarder(stack, 'Forwarder', {
    centralEventBusArn: bus.valueAsString,
    roleNames: watch.roleNames,
    permissionSetNames: watch.permissionSetNames,
    allowedEventSources: watch.allowedEventSources,
    allowedEventNames: watch.allowedEventNames,
    forwardModelCalls,
  });
  for (const node of stack.node.findAll()) {
    if (CfnResource.isCfnResource(node)) {
      node.cfnOptions.condition = notHome;
    }
  }
  try {
    return app.synth().getStackByName(stack.stackName).template;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
