export * from './bedrock-drift-rule';
export * from './config-recorder';
