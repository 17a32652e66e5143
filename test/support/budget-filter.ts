/**
 * A stand-in for how AWS Budgets applies a budget's FilterExpression to cost line items, written from
 * the AWS Billing and Cost Management API Reference ("Expression" and "ExpressionDimensionValues"):
 * `And` needs every child, `Or` any child, `Not` negates one; a `Dimensions` or `Tags` leaf matches
 * when the line item's value equals one of `Values` (EQUALS, the default match option). Only what the
 * library's budgets use is modelled; anything else throws, so a new filter cannot pass unread.
 */
export interface CostLineItem {
  readonly dimensions: Readonly<Record<string, string>>;
  readonly tags?: Readonly<Record<string, string>>;
}

export function budgetCounts(expression: any, item: CostLineItem): boolean {
  const keys = Object.keys(expression);
  if (keys.length !== 1) {
    throw new Error(`an Expression holds exactly one of And, Or, Not, Dimensions, Tags; got ${keys.join(', ')}`);
  }
  const [key] = keys;
  const value = expression[key];
  switch (key) {
    case 'And':
      return (value as any[]).every((e) => budgetCounts(e, item));
    case 'Or':
      return (value as any[]).some((e) => budgetCounts(e, item));
    case 'Not':
      return !budgetCounts(value, item);
    case 'Dimensions':
      return leaf(value, item.dimensions[value.Key]);
    case 'Tags':
      return leaf(value, item.tags?.[value.Key]);
    default:
      throw new Error(`the stand-in does not model Expression.${key}`);
  }
}

function leaf(value: { Values: string[]; MatchOptions?: string[] }, actual: string | undefined): boolean {
  const options = value.MatchOptions ?? ['EQUALS'];
  if (options.length !== 1 || options[0] !== 'EQUALS') {
    throw new Error(`the stand-in models MatchOptions EQUALS only, got ${options.join(', ')}`);
  }
  return actual !== undefined && value.Values.includes(actual);
}
