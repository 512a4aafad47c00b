export { type Scope, tenantScope, allTenants, scopeOf } from './scope.js';
export { createTenantRepository, type TenantRepository } from './tenants.js';
export { createUserRepository, type UserRepository, type UserRecord, type NewUser, toUser } from './users.js';
export { createAuditLog, type AuditLog, type AuditRecord } from './audit.js';
export { verifyAuditChain, type AuditChainReport, type AuditChainBreak, type AuditChainProblem, type VerifyAuditChainOptions } from './audit-chain.js';
export { AUDIT_GENESIS_HASH, AUDIT_HASH_VERSION, auditEntryHash, type ChainedFields } from './audit-chain-hash.js';
export { type Permission, permissionTable, permissionWords, forbiddenMessage, can, assignableRoles } from './permissions.js';
export { createIdentityService, type IdentityService, type Caller, type BootstrapResult } from './service.js';
