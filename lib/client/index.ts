export * from './subprocess-credentials';
