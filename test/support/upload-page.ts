import type { Page } from 'playwright-core';
import type { CreateDraftRequest } from '#shared/api';

/**
 * The upload page (web/upload/) filled in as a drafting unit fills it: a 主动公开 document, not a
 * policy document, needing no interpretation, with its file. One definition for the upload
 * page's own tests (test/e2e/upload.test.ts) and its audit (test/e2e/web-apps.test.ts).
 */
export async function fillUploadForm(
  page: Page,
  form: CreateDraftRequest['form'],
  file: string | { name: string; mimeType: string; buffer: Buffer },
  over: { title?: string; documentDate?: string } = {},
): Promise<void> {
  await page.fill('#f-title', over.title ?? form.title);
  await page.fill('#f-draftingUnit', form.draftingUnit);
  await page.fill('#f-documentNumber', form.documentNumber ?? '');
  await page.selectOption('#f-documentType', form.documentType);
  await page.fill('#f-documentDate', over.documentDate ?? form.documentDate);
  await page.selectOption('#f-attribute', '主动公开');
  await page.selectOption('#f-isPolicy', 'false');
  await page.selectOption('#f-interpretationMode', 'not-needed');
  await page.fill('#f-interpretationReason', '印发工作方案，无需解读');
  await page.fill('#f-contactName', form.contact.name);
  await page.fill('#f-contactPhone', form.contact.phone);
  await page.setInputFiles('#f-documentFile', file);
}
