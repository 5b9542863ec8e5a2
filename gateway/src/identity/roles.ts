import { z } from 'zod';

/**
 * The `role` attribute in a client certificate (domain.md §1).
 * Kept here until the domain core exports its actor schema; then this re-exports it.
 */
export const ActorRoleSchema = z.enum(['adapter', 'caseworker', 'auditor', 'admin']);
export type ActorRole = z.infer<typeof ActorRoleSchema>;
