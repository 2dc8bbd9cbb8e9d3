export * from './plan';
export * from './kind';
