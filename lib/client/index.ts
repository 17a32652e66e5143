export * from './subprocess-credentials';
export * from './minimum-version';
