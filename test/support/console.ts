import type { Browser, Page } from 'playwright-core';
import { topology } from '#shared/topology';

/** What a console session watched: uncaught page errors, every host a request went to, CSP refusals. */
export interface ConsoleWatch {
  readonly pageErrors: string[];
  readonly hosts: Set<string>;
}

/**
 * The approver console signed in with a local identity token, as a user does it: open the
 * console from the site, type the token, press 登录 and wait for the task list. Page errors
 * and requested hosts go into `watch`; CSP refusals into the answer's `csp`.
 */
export async function signedInConsole(
  browser: Browser,
  siteUrl: string,
  token: string,
  watch: ConsoleWatch,
  options: { readonly bypassCSP?: boolean } = {},
): Promise<{ page: Page; csp: string[] }> {
  const context = await browser.newContext({ locale: 'zh-CN', bypassCSP: options.bypassCSP ?? true, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const csp: string[] = [];
  page.on('pageerror', (err) => watch.pageErrors.push(String(err)));
  page.on('request', (req) => watch.hosts.add(new URL(req.url()).hostname));
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to/i.test(msg.text())) csp.push(msg.text());
  });
  await page.goto(`${siteUrl}/${topology.web.prefix}console/index.html`);
  await page.getByLabel('身份令牌').fill(token);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.locator('#tasks').waitFor({ state: 'visible' });
  return { page, csp };
}
