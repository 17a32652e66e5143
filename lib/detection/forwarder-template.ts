import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnCondition, CfnParameter, CfnResource, Fn, LegacyStackSynthesizer, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { GLOBAL_SERVICES_REGION } from './coverage-plan';
import { ResolvedWatchScope } from './event-pattern';
import { NonBedrockCallForwarder } from './non-bedrock-call-forwarder';
import { DetectionTrailResources } from './trail-resources';


/** What the StackSet's stacks hold besides the forwarder. */
export interface ForwarderTemplateOptions {
  /** Also forward billed model calls, for a usage guard. */
  readonly forwardModelCalls?: boolean;
  /** A multi-Region trail in each account but the home one, created once per account, in us-east-1. */
  readonly memberTrail?: boolean;
  /** Alarms deployed and forwarded in every account and Region but the home one (the spend-rate cap's). */
  readonly alarms?: ForwardedAlarms;
}

/** Alarms a part of the library adds to each forwarder stack, whose state changes go to the central bus. */
export interface ForwardedAlarms {
  readonly alarmNames: string[];
  /** Adds the alarms; the same ones in every stack instance, so the template never grows with the accounts. */
  readonly addTo: (stack: Stack) => void;
}

/** The logical id of the condition under which a stack instance holds the member trail. */
export const MEMBER_TRAIL_CONDITION = 'MemberTrailHere';

/**
 * The forwarder as a stand-alone template for the StackSet. The central bus and the home account and
 * Region come in as parameters; in the home Region of the home account the central construct's own
 * rule watches instead, so every resource there is skipped.
 */
export function forwarderTemplate(watch: ResolvedWatchScope, options: ForwarderTemplateOptions = {}): Record<string, unknown> {
  // A private app with its own output folder: under `cdk synth` the default one is the user's cdk.out.
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-forwarder-'));
  const app = new App({ outdir, autoSynth: false });
  const stack = forwarderStack(app, watch, options);
  try {
    return app.synth().getStackByName(stack.stackName).template;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The stack the template is synthesized from, for tests that run cdk-nag over it. */
export function forwarderStack(app: App, watch: ResolvedWatchScope, options: ForwarderTemplateOptions = {}): Stack {
  for (const name of watch.roleNames) {
    if (Token.isUnresolved(name)) {
      throw new Error('a watched role has no fixed name, so the StackSet template cannot name it: give the BedrockInvokeRole a roleName, or pass its name in roleNames');
    }
  }
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
    forwardModelCalls: options.forwardModelCalls ?? false,
    alarmNames: options.alarms?.alarmNames,
  });
  options.alarms?.addTo(stack);
  for (const node of stack.node.findAll()) {
    if (CfnResource.isCfnResource(node)) {
      node.cfnOptions.condition = notHome;
    }
  }
  if (options.memberTrail) {
    memberTrail(stack, homeAccount.valueAsString);
  }
  return stack;
}

/**
 * EventBridge sees CloudTrail events only where a trail logs them (EventBridge User Guide, "Events
 * from AWS CloudTrail"): one multi-Region trail per member account, in the Region every StackSet
 * covers; the home account has the home stack's trail.
 */
function memberTrail(stack: Stack, homeAccount: string): void {
  const here = new CfnCondition(stack, MEMBER_TRAIL_CONDITION, {
    expression: Fn.conditionAnd(
      Fn.conditionNot(Fn.conditionEquals(stack.account, homeAccount)),
      Fn.conditionEquals(stack.region, GLOBAL_SERVICES_REGION),
    ),
  });
  const key = new kms.Key(stack, 'TrailKey', {
    enableKeyRotation: true,
    description: 'Encrypts the Bedrock detection trail\'s log files in this account',
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const trail = new DetectionTrailResources(stack, 'Trail', { key });
  for (const node of [key, trail].flatMap((c) => c.node.findAll())) {
    if (CfnResource.isCfnResource(node)) {
      node.cfnOptions.condition = here;
    }
  }
}
