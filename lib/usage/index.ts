export * from './usage-limits';
export * from './bedrock-usage-guard';
export * from './bedrock-spend-limit';
export * from './team-inference-profiles';
export * from './bedrock-spend-rate-cap';
export * from './spend-rate-options';
export * from './bedrock-usage-dashboard';
