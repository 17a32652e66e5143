export * from './bedrock-invoke-role';
export * from './bedrock-permission-set';
export * from './permission-set-boundary';
export * from './client-options';
