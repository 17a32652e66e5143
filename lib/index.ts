export * from './models';
export * from './access';
export * from './detection';
export * from './drift';
export * from './client';
export * from './patterns';
export * from './nag';
export * from './usage';
