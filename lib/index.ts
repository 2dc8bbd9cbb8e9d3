export * from './core/constants';
export * from './core/problems';
export { admitRegistryConfig, validateRegistryConfig, configuredStorageTypes, RegistryConfigAdmission } from './core/validate-config';
export type * from './generated/config-types';
