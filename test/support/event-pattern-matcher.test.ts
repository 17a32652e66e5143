import { matches } from './event-pattern-matcher';

// Conformance with EventBridge's documented content-filtering semantics, one block per operator.
describe('the test EventBridge matcher', () => {
  test('exact values: any listed value matches; strings are case-sensitive', () => {
    expect(matches({ a: ['x', 'y'] }, { a: 'y' })).toBe(true);
    expect(matches({ a: ['x'] }, { a: 'X' })).toBe(false);
    expect(matches({ a: [5] }, { a: 5 })).toBe(true);
    expect(matches({ a: [null] }, { a: null })).toBe(true);
  });

  test('a field in the pattern must be present in the event', () => {
    expect(matches({ a: ['x'] }, {})).toBe(false);
    expect(matches({ a: { b: ['x'] } }, { a: 'x' })).toBe(false);
  });

  test('nested objects: every field must match', () => {
    expect(matches({ a: { b: ['x'], c: ['y'] } }, { a: { b: 'x', c: 'y', d: 'z' } })).toBe(true);
    expect(matches({ a: { b: ['x'], c: ['y'] } }, { a: { b: 'x', c: 'n' } })).toBe(false);
  });

  test('an array in the event matches when any element does', () => {
    expect(matches({ a: ['x'] }, { a: ['w', 'x'] })).toBe(true);
    expect(matches({ a: ['x'] }, { a: ['w', 'v'] })).toBe(false);
  });

  test('an array of objects matches when one element matches the nested pattern', () => {
    const p = { resources: { ARN: ['arn:aws:kms:us-east-1:111122223333:key/k1'] } };
    expect(matches(p, { resources: [{ ARN: 'arn:aws:kms:us-east-1:111122223333:key/other' }, { ARN: 'arn:aws:kms:us-east-1:111122223333:key/k1' }] })).toBe(true);
    expect(matches(p, { resources: [{ ARN: 'arn:aws:kms:us-east-1:111122223333:key/other' }] })).toBe(false);
    expect(matches(p, { resources: [] })).toBe(false);
  });

  test('wildcard: * is any run of characters, the rest is literal', () => {
    const p = { f: [{ wildcard: '*:function:alert:*' }] };
    expect(matches(p, { f: 'arn:aws:lambda:us-east-1:111122223333:function:alert:live' })).toBe(true);
    expect(matches(p, { f: 'arn:aws:lambda:us-east-1:111122223333:function:alert' })).toBe(false);
    expect(matches(p, { f: 'arn:aws:lambda:us-east-1:111122223333:function:alerts:live' })).toBe(false);
    expect(matches({ f: [{ wildcard: 'a.b*' }] }, { f: 'axb1' })).toBe(false);
  });

  test('$or: one of the branches must match, besides the other keys of its level', () => {
    const p = { a: ['x'], $or: [{ b: ['1'] }, { c: ['2'], d: ['3'] }] };
    expect(matches(p, { a: 'x', b: '1' })).toBe(true);
    expect(matches(p, { a: 'x', c: '2', d: '3' })).toBe(true);
    expect(matches(p, { a: 'x', c: '2' })).toBe(false);
    expect(matches(p, { a: 'y', b: '1' })).toBe(false);
    expect(() => matches({ $or: [{ b: ['1'] }] }, {})).toThrow(/two or more/);
  });

  test('prefix', () => {
    expect(matches({ a: [{ prefix: 'AWSReservedSSO_Bedrock_' }] }, { a: 'AWSReservedSSO_Bedrock_635426549a280cc6' })).toBe(true);
    expect(matches({ a: [{ prefix: 'AWSReservedSSO_Bedrock_' }] }, { a: 'AWSReservedSSO_Other_635426549a280cc6' })).toBe(false);
  });

  test('exact values and prefixes mixed in one array are alternatives', () => {
    const p = { a: ['RoleA', { prefix: 'AWSReservedSSO_X_' }] };
    expect(matches(p, { a: 'RoleA' })).toBe(true);
    expect(matches(p, { a: 'AWSReservedSSO_X_0123' })).toBe(true);
    expect(matches(p, { a: 'RoleB' })).toBe(false);
  });

  test('anything-but with a list of values', () => {
    expect(matches({ a: [{ 'anything-but': ['x', 'y'] }] }, { a: 'z' })).toBe(true);
    expect(matches({ a: [{ 'anything-but': ['x', 'y'] }] }, { a: 'y' })).toBe(false);
  });

  test('anything-but with prefixes', () => {
    const p = { a: [{ 'anything-but': { prefix: ['bedrock', 'sts.amazonaws.com'] } }] };
    expect(matches(p, { a: 's3.amazonaws.com' })).toBe(true);
    expect(matches(p, { a: 'bedrock-mantle.amazonaws.com' })).toBe(false);
    expect(matches(p, { a: 'sts.amazonaws.com' })).toBe(false);
  });

  test('anything-but does not match a missing field', () => {
    expect(matches({ a: [{ 'anything-but': ['x'] }] }, {})).toBe(false);
    expect(matches({ a: [{ 'anything-but': { prefix: 'bedrock' } }] }, { b: 'x' })).toBe(false);
  });

  test('exists', () => {
    expect(matches({ a: [{ exists: true }] }, { a: 'x' })).toBe(true);
    expect(matches({ a: [{ exists: true }] }, {})).toBe(false);
    expect(matches({ a: [{ exists: false }] }, {})).toBe(true);
    expect(matches({ a: [{ exists: false }] }, { a: 'x' })).toBe(false);
  });

  test('an operator it does not know is an error, not a silent miss', () => {
    expect(() => matches({ a: [{ 'equals-ignore-case': 'x' }] }, { a: 'X' })).toThrow(/not supported/);
  });
});
