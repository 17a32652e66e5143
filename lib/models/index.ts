export * from './geography';
export * from './catalog';
export * from './model-reference';
export * from './guardrail';
export * from './invoke-scope';
