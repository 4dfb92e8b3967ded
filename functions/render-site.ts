import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { writeObject } from '#shared/blobs';
import { log } from '#shared/log';
import { homePage, rulesPage, sitePaths } from '#shared/render/site';
import { ruleTable } from '#shared/rules/index';
import { listByStatus } from '#shared/store';

/** How many documents the home page lists. */
const HOME_LIMIT = 200;

/**
 * Rewrites the index pages from what is PUBLISHED now. Triggered through a FIFO queue with
 * one message group, so runs never overlap and the last run sees every publication that
 * asked for it; a batch of requests is one render.
 */
export async function renderSite(): Promise<{ documents: number }> {
  const published = await listByStatus('PUBLISHED', { newestFirst: true, limit: HOME_LIMIT });
  const page = 'text/html; charset=utf-8';
  await Promise.all([
    writeObject('site', sitePaths.home, homePage(published), page, { cacheControl: 'max-age=60' }),
    writeObject('site', sitePaths.rules, rulesPage(ruleTable()), page, { cacheControl: 'max-age=300' }),
  ]);
  return { documents: published.length };
}

const renderSiteHandler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const { documents } = await renderSite();
  log.info('site rendered', { requests: event.Records.length, documents });
  // A failure throws: the whole batch is retried, which is right, since one render serves all.
  return { batchItemFailures: [] };
};

export const handler = middy(renderSiteHandler);
