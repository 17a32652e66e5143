import { lineDiff } from '../../../lib/cli/configure/line-diff';
import { mergeAwsConfig } from '../../../lib/cli/configure/merge-aws-config';
import { MANAGED_PROFILE_MARKER } from '../../../lib/client/client-configuration';

const M = MANAGED_PROFILE_MARKER;

describe('merging into ~/.aws/config', () => {
  test('a section it wrote is replaced where it stands; the others stay verbatim', () => {
    const before = `[default]\nregion = eu-west-1\n\n${M}\n[profile claude-code-role]\nregion = us-west-2\n\n; kept\n[profile work]\nregion = eu-west-1\n`;
    const after = mergeAwsConfig(before, `${M}\n[profile claude-code-role]\nregion = us-east-1\n`);
    expect(after).toBe(`[default]\nregion = eu-west-1\n\n${M}\n[profile claude-code-role]\nregion = us-east-1\n\n; kept\n[profile work]\nregion = eu-west-1\n`);
  });

  test('a section of the same name it did not write stops the merge, whatever the spacing of its header', () => {
    expect(() => mergeAwsConfig('[ profile  claude-code ]\nregion = x\n', `${M}\n[profile claude-code]\nregion = y\n`))
      .toThrow(/already has \[profile claude-code\], which cdk-bedrock-least-privilege did not write/);
  });

  test('new sections go at the end, one blank line apart', () => {
    expect(mergeAwsConfig('[default]\nregion = x\n\n\n', `${M}\n[sso-session s]\na = 1\n\n${M}\n[profile p]\nb = 2\n`))
      .toBe(`[default]\nregion = x\n\n${M}\n[sso-session s]\na = 1\n\n${M}\n[profile p]\nb = 2\n`);
  });
});

describe('the diff shown before writing', () => {
  test('marks removed and added lines and keeps the rest', () => {
    expect(lineDiff('a\nb\nc', 'a\nB\nc\nd')).toEqual(['  a', '+ B', '- b', '  c', '+ d']);
    expect(lineDiff('', 'x')).toEqual(['+ x']);
  });
});
