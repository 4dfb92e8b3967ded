/**
 * Cache-Control of what the site consumer writes. Browsers and CloudFront keep pages for
 * these times; a withdrawal invalidates CloudFront at once (browsers may keep a page for
 * at most PAGE_CACHE). Index pages change with every publication, so they are kept briefly.
 */
export const PAGE_CACHE = 'public, max-age=300';
export const INDEX_CACHE = 'public, max-age=60';
