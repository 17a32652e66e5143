export * from './usage-limits';
export * from './bedrock-usage-guard';
