export * from './watch-scope';
export * from './commercial-regions';
export * from './detection-trail';
export * from './forwarder-stack-set';
export * from './non-bedrock-call-forwarder';
export * from './bedrock-misuse-detection';
export * from './watched-config-rule';
export * from './coverage-gap-acknowledgement';
