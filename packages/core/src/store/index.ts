export { createStore, sqlitePath, type Store, type StoreDialect, type StoreOptions, type StoreStats, type Row } from './create-store.js';
export type * from './schema.js';
