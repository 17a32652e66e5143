export * from './usage-limits';
export * from './bedrock-usage-guard';
export * from './bedrock-spend-limit';
