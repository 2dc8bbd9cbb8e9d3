export * from './s3';
export * from './gcs';
export * from './azure';
export * from './swift';
export * from './pvc';
export * from './emptydir';
export * from './odf';
export * from './kinds';
