import type { SiteInfo } from '@yulian/protocols';
import type { ResolutionBackend } from './backend.js';
import { type HandleService, createHandleService } from './handle-service.js';

/**
 * The Handle protocol service of a node that answers from a {@link ResolutionBackend} rather than its
 * own records — a recursive resolver: resolution and get site info; anything else RC 5.
 */
export function backendHandleService(backend: ResolutionBackend, site: SiteInfo): HandleService {
  return createHandleService({ backend, site });
}
