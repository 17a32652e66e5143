export * from './bedrock-access-checks';
