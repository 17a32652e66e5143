import { Stack, StringConcat, Token, Tokenization } from 'aws-cdk-lib';

/** Lambda allows 4 KB for all of a function's environment variables, names and values together. */
export const LAMBDA_ENVIRONMENT_LIMIT = 4096;

/**
 * The most characters a value can take once CloudFormation resolves its tokens: a role id is 21, an
 * ARN at most 169 (a 128-character policy name in the longest partition), a pseudo parameter at most 14.
 */
export function deployedLengthBound(stack: Stack, value: unknown): number {
  return JSON.stringify(withPlaceholders(stack, value)).length;
}

function withPlaceholders(stack: Stack, value: unknown): unknown {
  if (typeof value === 'string') {
    if (!Token.isUnresolved(value)) {
      return value;
    }
    return Tokenization.reverseString(value)
      .mapTokens({ mapToken: (t) => 'x'.repeat(tokenBound(stack.resolve(t))) })
      .join(new StringConcat());
  }
  if (typeof value === 'number') {
    return Token.isUnresolved(value) ? 43200 : value;
  }
  if (Array.isArray(value)) {
    return value.map((v) => withPlaceholders(stack, v));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPlaceholders(stack, v)]));
  }
  return value;
}

function tokenBound(resolved: unknown): number {
  const r = resolved as { 'Ref'?: string; 'Fn::GetAtt'?: [string, string]; 'Fn::Join'?: [string, unknown[]] } | string;
  if (typeof r === 'string') {
    return r.length;
  }
  const join = r?.['Fn::Join'];
  if (join) {
    return join[1].reduce((n: number, part) => n + tokenBound(part), join[0].length * Math.max(0, join[1].length - 1));
  }
  if (r?.Ref?.startsWith('AWS::')) {
    return 14;
  }
  if (r?.['Fn::GetAtt']?.[1] === 'RoleId') {
    return 21;
  }
  return 169;
}
