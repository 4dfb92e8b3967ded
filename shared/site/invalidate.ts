import { createHash } from 'node:crypto';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { guardClient } from '#shared/aws/guard';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3 } from '#shared/aws/clients';
import { isNotFound } from '#shared/blobs';
import { ConfigurationError, env } from '#shared/env';
import { log } from '#shared/log';
import { envName, KEYS, topology } from '#shared/topology';

/**
 * CDN invalidation. In AWS (SITE_DISTRIBUTION_ID set): CloudFront CreateInvalidation on the
 * site distribution, with the caller's reference as CallerReference, so a retried call
 * lands once. Locally (CDN_INVALIDATION_BUCKET set, by the local stack): the invalidation
 * is recorded as an object under `cdn/invalidations/` of that (private) bucket, and the
 * local CDN (infra/local/cdn.ts), which polls the records, drops its cached copies.
 *
 * Paths follow CloudFront's rules: `/` + the site key, URL-encoded; a path ending in `*` is
 * a wildcard (a prefix). The root object is cached under `/` as well as `/index.html`, so
 * invalidating `index.html` invalidates both.
 */

/** At most this many paths in one invalidation; beyond it, files are collapsed into folder wildcards. */
export const MAX_PATHS = 100;
/** CloudFront allows 15 wildcard paths in progress at a time; one invalidation uses at most this many. */
export const MAX_WILDCARDS = 10;

/** What the local record holds (and what tests read). */
export interface InvalidationRecord {
  readonly reference: string;
  /** The CloudFront paths, as they would be sent. */
  readonly paths: readonly string[];
  /** Wall-clock time of the request (ISO). */
  readonly at: string;
}

/** One path segment encoded as CloudFront expects (RFC 3986 unreserved characters stay). */
const encodeSegment = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `/` + the key, each segment URL-encoded; a key ending in `*` stays a wildcard. */
export function cdnPath(key: string): string {
  const k = key.replace(/^\/+/, '');
  if (k === '') return '/';
  const wildcard = k.endsWith('*');
  const body = wildcard ? k.slice(0, -1) : k;
  return `/${body.split('/').map(encodeSegment).join('/')}${wildcard ? '*' : ''}`;
}

/**
 * The CloudFront paths for a set of site keys: each key once (`index.html` also as `/`),
 * and when there are more than MAX_PATHS, the fullest folders collapsed into `/<folder>/*`
 * (deepest folders first, then top-level folders, at worst `/*`), so that one invalidation
 * never exceeds MAX_PATHS paths or MAX_WILDCARDS wildcards.
 */
export function invalidationPaths(keys: readonly string[]): string[] {
  const set = new Set<string>();
  for (const raw of keys) {
    const key = raw.replace(/^\/+/, '');
    set.add(key);
    if (key === topology.cdn.defaultRootObject || key === '') set.add('');
  }
  // A wildcard already covers every key under it.
  const wildcards = [...set].filter((k) => k.endsWith('*')).map((k) => k.slice(0, -1));
  const keysLeft = [...set].filter((k) => k.endsWith('*') || !wildcards.some((w) => k.startsWith(w)));
  if (keysLeft.length <= MAX_PATHS && wildcards.length <= MAX_WILDCARDS) return keysLeft.map(cdnPath).sort();

  // Collapse folders: first at full depth, then at the top level.
  const folderAt = (key: string, depth: 'deep' | 'top'): string | undefined => {
    const cut = depth === 'deep' ? key.lastIndexOf('/') : key.indexOf('/');
    return cut > 0 ? key.slice(0, cut + 1) : undefined;
  };
  for (const depth of ['deep', 'top'] as const) {
    const files = keysLeft.filter((k) => !k.endsWith('*'));
    const groups = new Map<string, string[]>();
    for (const k of files) {
      const folder = folderAt(k, depth);
      if (folder) groups.set(folder, [...(groups.get(folder) ?? []), k]);
    }
    const chosen = new Set<string>(wildcards);
    let count = keysLeft.length;
    for (const [folder, members] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
      if (count <= MAX_PATHS) break;
      if (chosen.size >= MAX_WILDCARDS) break;
      chosen.add(folder);
      count -= members.length - 1;
    }
    if (count <= MAX_PATHS && chosen.size <= MAX_WILDCARDS) {
      const covered = (k: string) => [...chosen].some((w) => k.startsWith(w));
      const rest = files.filter((k) => !covered(k));
      return [...[...chosen].map((w) => cdnPath(`${w}*`)), ...rest.map(cdnPath)].sort();
    }
  }
  return ['/*'];
}

let cloudfront: CloudFrontClient | undefined;
// CloudFront's API is global, served from us-east-1.
const cloudfrontClient = () => {
  if (!cloudfront) {
    cloudfront = new CloudFrontClient({ region: 'us-east-1' });
    guardClient('cloudfront', cloudfront);
  }
  return cloudfront;
};

const shortHash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

/** Asks the CDN to drop its cached copies of `paths` (site keys, e.g. `documents/x.html`). `reference` makes a retry land once. */
export async function invalidate(paths: readonly string[], reference: string): Promise<void> {
  if (paths.length === 0) return;
  const items = invalidationPaths(paths);
  const cdn = env.cdn();
  if (cdn && 'distributionId' in cdn) {
    await createInvalidation(cdn.distributionId, items, reference);
    return;
  }
  if (cdn) {
    await recordInvalidation(cdn.localRecords, items, reference);
    return;
  }
  throw new ConfigurationError(`Neither ${envName.distribution} (AWS) nor ${envName.localInvalidations} (local) is set: cannot invalidate the CDN`);
}

async function createInvalidation(distributionId: string, items: string[], reference: string): Promise<void> {
  const send = (callerReference: string) =>
    cloudfrontClient().send(
      new CreateInvalidationCommand({
        DistributionId: distributionId,
        InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: items.length, Items: items } },
      }),
    );
  try {
    const res = await send(reference);
    log.info('CDN invalidation', { reference, id: res.Invalidation?.Id, paths: items.length });
  } catch (err) {
    // The same reference with other paths (a retry that found more to invalidate): a new
    // invalidation, under a reference that names its paths, so a further retry lands once.
    if ((err as { name?: string }).name === 'InvalidationBatchAlreadyExists') {
      const res = await send(`${reference}:${shortHash(items.join('\n'))}`);
      log.info('CDN invalidation (reference reused with other paths)', { reference, id: res.Invalidation?.Id, paths: items.length });
      return;
    }
    throw err;
  }
}

/** The keys of local invalidation records start with the wall-clock time, so they list in order. */
export const invalidationRecordPrefix = (at: Date): string => `${KEYS.cdnInvalidations}${at.toISOString().replace(/[-:.]/g, '')}`;

/** The object key of a local invalidation record. */
export function invalidationRecordKey(at: Date, reference: string): string {
  const safe = reference.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return `${invalidationRecordPrefix(at)}-${safe}-${shortHash(reference).slice(0, 8)}.json`;
}
const referenceMarkerKey = (reference: string) => `${KEYS.cdnReferences}${shortHash(reference)}.json`;

async function recordInvalidation(bucket: string, items: string[], reference: string): Promise<void> {
  // As CloudFront does with a CallerReference: a second call with the same reference and the
  // same paths is the first one; with other paths it is a new one.
  const marker = referenceMarkerKey(`${reference}\n${items.join('\n')}`);
  try {
    await s3().send(new GetObjectCommand({ Bucket: bucket, Key: marker }));
    return;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  // Wall-clock time, not the application clock (tests move that): the local CDN polls by real time.
  const at = new Date();
  const key = invalidationRecordKey(at, reference);
  const record: InvalidationRecord = { reference, paths: items, at: at.toISOString() };
  const json = 'application/json; charset=utf-8';
  await s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(record), ContentType: json }));
  await s3().send(new PutObjectCommand({ Bucket: bucket, Key: marker, Body: JSON.stringify({ key }), ContentType: json }));
  log.info('CDN invalidation recorded (local)', { reference, key, paths: items.length });
}

/** Whether a CloudFront invalidation path covers a request path (both as sent: `/` + encoded key). */
export function pathMatches(invalidationPath: string, requestPath: string): boolean {
  const decode = (p: string) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  };
  if (invalidationPath.endsWith('*')) return decode(requestPath).startsWith(decode(invalidationPath.slice(0, -1)));
  return decode(requestPath) === decode(invalidationPath);
}
