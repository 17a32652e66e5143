import { EXAMPLE_ACCESS_KEY_ID, EXAMPLE_SECRET_ACCESS_KEY, EXAMPLE_SESSION_TOKEN, EXAMPLE_SHORT_TERM_API_KEY } from './fixtures/aws-examples';
import { maskAccessKeyId, Redactor, secretValues } from '../../lib/cli/redact';

describe('Redactor', () => {
  const redactor = new Redactor();

  test('masks access key ids to their first and last four characters', () => {
    expect(maskAccessKeyId(EXAMPLE_ACCESS_KEY_ID)).toBe('AKIA************MPLE');
    expect(redactor.text(`key ${EXAMPLE_ACCESS_KEY_ID} and ASIAIOSFODNN7EXAMPLE`)).toBe('key AKIA************MPLE and ASIA************MPLE');
  });

  test('removes secret keys, session tokens and Bedrock API keys by their shape, without knowing them', () => {
    const text = `secret=${EXAMPLE_SECRET_ACCESS_KEY} token=${EXAMPLE_SESSION_TOKEN} bearer=${EXAMPLE_SHORT_TERM_API_KEY}`;
    expect(redactor.text(text)).toBe('secret=[redacted] token=[redacted] bearer=[redacted]');
  });

  test('removes secrets it was told about, whatever their shape', () => {
    expect(new Redactor(['hunter2-password']).text('the value is hunter2-password.')).toBe('the value is [redacted].');
  });

  test('leaves what the doctor must show alone: ARNs, model ids, hex digests, paths', () => {
    const keep = [
      'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ClaudeCodeBedrock_635426549a280cc6/alice',
      'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      '/home/alice/.claude/settings.local.json',
    ].join(' ');
    expect(redactor.text(keep)).toBe(keep);
  });

  test('redacts every string of a JSON value, keys and structure kept', () => {
    const value = { findings: [{ title: `key ${EXAMPLE_ACCESS_KEY_ID}`, n: 3 }], secret: EXAMPLE_SECRET_ACCESS_KEY };
    expect(redactor.value(value)).toEqual({ findings: [{ title: 'key AKIA************MPLE', n: 3 }], secret: '[redacted]' });
  });

  test('secretValues picks the secret variables only', () => {
    expect(secretValues({ AWS_SECRET_ACCESS_KEY: 's3cr3t-value', AWS_REGION: 'us-east-1', AWS_SESSION_TOKEN: '' })).toEqual(['s3cr3t-value']);
  });
});
