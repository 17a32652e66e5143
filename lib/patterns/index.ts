export * from './claude-code-bedrock-access';
