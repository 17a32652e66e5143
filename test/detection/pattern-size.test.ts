import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp as organizationApp } from '../../examples/organization/app';
import { buildApp as platformApp } from '../../examples/platform-account/app';
import { DEFAULT_PATTERN_QUOTA, patternLength, resolveWatchScope } from '../../lib/detection/event-pattern';

/** Every watching rule's pattern in an example app, StackSet templates included, as EventBridge receives it. */
function watchingPatterns(app: App): string[] {
  const patterns: string[] = [];
  const collect = (resources: Record<string, any>) => {
    for (const r of Object.values(resources)) {
      if (r.Type === 'AWS::Events::Rule' && r.Properties.State === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS') {
        patterns.push(JSON.stringify(r.Properties.EventPattern));
      }
      if (r.Type === 'AWS::CloudFormation::StackSet') {
        collect(JSON.parse(r.Properties.TemplateBody).Resources);
      }
    }
  };
  for (const stack of app.node.findAll().filter((c): c is Stack => Stack.isStack(c))) {
    collect(Template.fromStack(stack).toJSON().Resources);
  }
  return patterns;
}

const examples = { 'platform-account': watchingPatterns(platformApp(new App())), 'organization': watchingPatterns(organizationApp(new App())) };
const largest = Math.max(...Object.values(examples).flat().map((p) => p.length));

describe('the detection pattern stays within EventBridge\'s default quota', () => {
  test(`the largest example pattern is ${largest} characters, within the default 'Event pattern size' quota of ${DEFAULT_PATTERN_QUOTA}`, () => {
    expect(Object.values(examples).every((p) => p.length > 0)).toBe(true);
    expect(largest).toBeLessThanOrEqual(DEFAULT_PATTERN_QUOTA);
  });

  test('the synth-time estimate is never below the deployed size', () => {
    // The estimate the construct checks against the quota must cover what it deploys.
    const estimate = patternLength(resolveWatchScope({ roleNames: ['ClaudeCodeBedrockInvoke'], permissionSetNames: ['ClaudeCodeBedrock'] }));
    expect(estimate).toBeGreaterThanOrEqual(largest);
  });
});
