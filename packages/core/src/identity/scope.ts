/**
 * Whose data a query may touch. Every repository function takes one, and tenant-scoped reads,
 * updates and deletes add `tenant_id = ?` — so another tenant's row is simply not found (→ 404).
 */
export type Scope = { readonly kind: 'tenant'; readonly tenantId: string } | { readonly kind: 'all' };

/** The scope of one enterprise. */
export const tenantScope = (tenantId: string): Scope => ({ kind: 'tenant', tenantId });
/** The scope of the platform operator: every tenant. */
export const allTenants: Scope = { kind: 'all' };
/** The scope of a caller: platform users (no tenant) see all, enterprise users their own. */
export const scopeOf = (caller: { tenantId: string | null }): Scope =>
  caller.tenantId === null ? allTenants : tenantScope(caller.tenantId);
