import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { AssignmentPrincipalType, BedrockPermissionSet, ModelReference } from '../../lib';

const page = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'permission-set.md'), 'utf8');
const section = page.slice(page.indexOf('## Setting up Claude Code with the permission set'));

/** The first fenced block of a language in the section. */
function block(language: string): string {
  const match = section.match(new RegExp('```' + language + '\\n([\\s\\S]*?)```'));
  if (!match) {
    throw new Error(`docs/permission-set.md has no \`\`\`${language} block in its setup section`);
  }
  return match[1];
}

test('the hand-written setup of docs/permission-set.md is exactly what the generator writes for the inputs it names', () => {
  const stack = new Stack(new App(), 'Docs', { env: { region: 'us-east-1', account: '111122223333' } });
  const sonnet = ModelReference.parse('us.anthropic.claude-sonnet-4-6');
  const haiku = ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0');
  const set = new BedrockPermissionSet(stack, 'ClaudeCode', {
    models: [sonnet, haiku],
    instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
    assignments: [{ principalType: AssignmentPrincipalType.GROUP, principalId: 'a1b2c3d4e5-f6a7b8c9-0123-4567-89ab-cdef01234567', accountIds: ['111122223333'] }],
  });
  const generated = set.clientConfiguration({ model: sonnet, smallFastModel: haiku, startUrl: 'https://my-company.awsapps.com/start' });
  // Key order and values count; the page may lay the JSON out more compactly.
  expect(JSON.parse(block('json'))).toEqual(JSON.parse(generated.claudeSettingsJson));
  expect(JSON.stringify(JSON.parse(block('json')))).toBe(JSON.stringify(JSON.parse(generated.claudeSettingsJson)));
  expect(block('ini').trim()).toBe(generated.awsConfig.trim());
});

test('the check can fail: an old awsAuthRefresh-only example differs from the generator', () => {
  const old = { env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1', AWS_PROFILE: 'claude-code' }, awsAuthRefresh: 'aws sso login --profile claude-code' };
  expect(JSON.stringify(old)).not.toBe(JSON.stringify(JSON.parse(block('json'))));
});
