/**
 * CDN invalidation. OWNED BY: infra helper. In AWS: CloudFront CreateInvalidation on the
 * distribution; locally: recorded, and honoured by the local CDN's cache.
 */

/** Asks the CDN to drop its cached copies of `paths` (site keys, e.g. `documents/x.html`). `reference` makes a retry land once. */
export async function invalidate(_paths: readonly string[], _reference: string): Promise<void> {
  throw new Error('not implemented');
}
