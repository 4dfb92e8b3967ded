import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { renderAboutPages } from '#shared/render/about-pages';
import { KEYS, topology } from '#shared/topology';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

async function* files(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

/**
 * Deploys the web apps (`web/`: the approver console, the upload page) into the site
 * bucket under `app/`, with `app/config.json` telling them where the API is — what the
 * CDK app's BucketDeployment does in AWS. The pages hold no data: everything they show
 * comes from the authenticated API.
 */
export async function deployWeb(options: { s3: S3Client; bucket: string; root: string; config: Record<string, string> }): Promise<number> {
  const { dir, prefix } = topology.web;
  const base = join(options.root, dir);
  let count = 0;
  for await (const path of files(base)) {
    if (extname(path) === '.md') continue; // notes for developers, not for the site
    const key = `${prefix}${relative(base, path).split('\\').join('/')}`;
    await options.s3.send(
      new PutObjectCommand({
        Bucket: options.bucket,
        Key: key,
        Body: await readFile(path),
        ContentType: TYPES[extname(path)] ?? 'application/octet-stream',
        CacheControl: 'no-cache',
      }),
    );
    count++;
  }
  await options.s3.send(
    new PutObjectCommand({ Bucket: options.bucket, Key: `${prefix}config.json`, Body: JSON.stringify(options.config), ContentType: TYPES['.json'], CacheControl: 'no-cache' }),
  );
  return count + 1;
}

/** Cache-Control of the about pages (as the CDK deployment sets it: infra/cdk/web-apps.ts). */
const ABOUT_CACHE_CONTROL = 'public, max-age=300';

/**
 * Deploys 政府信息公开指南 and 政府信息公开制度 (rendered from config/site/*.md) into the site
 * bucket under `about/` — what the CDK app's about-pages BucketDeployment does in AWS.
 */
export async function deployAbout(options: { s3: S3Client; bucket: string; root: string }): Promise<string[]> {
  const pages = renderAboutPages(options.root);
  for (const p of pages) {
    if (!p.key.startsWith(KEYS.about)) throw new Error(`about page ${p.key} is outside ${KEYS.about}`);
    await options.s3.send(new PutObjectCommand({ Bucket: options.bucket, Key: p.key, Body: p.body, ContentType: TYPES['.html'], CacheControl: ABOUT_CACHE_CONTROL }));
  }
  return pages.map((p) => p.key);
}
