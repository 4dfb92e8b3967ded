import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GongkaiClient, type DraftView } from '#client/gongkai';
import { SAMPLE_BODIES } from '#infra/local/sample-bodies';
import { siteConfig } from '#shared/site/config';
import { DEFAULT_DRAFTER_UNIT, validForm } from '../support/forms.ts';
import { sitePage } from '../support/api.ts';
import { decideAll, submitDraft, textFile } from '../support/publish.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/** Issue 16.3: each 公开主体 numbers its own documents, and its documents' pages name it. */

const TOWNSHIP_UNIT = '运城市盐湖区北城街道办事处'; // dev-drafter-beicheng
const fgw = SAMPLE_BODIES.find((b) => b.id === 'fgw')!;
const beicheng = SAMPLE_BODIES.find((b) => b.id === 'beicheng')!;

let stack: TestStack;
let townshipDrafter: GongkaiClient;
let zfbDrafter: GongkaiClient;

beforeAll(async () => {
  stack = await startTestStack();
  const admin = new GongkaiClient(stack.apiUrl, 'dev-admin');
  townshipDrafter = new GongkaiClient(stack.apiUrl, 'dev-drafter-beicheng');
  zfbDrafter = new GongkaiClient(stack.apiUrl, 'dev-drafter-zfb');
  for (const b of [fgw, beicheng]) await admin.createBody(b);
}, 120_000);
afterAll(() => stack?.cleanup());

let n = 0;
/** Publishes a short notice of `unit` dated `date`; answers its final view. */
async function publish(drafter: GongkaiClient, unit: string, date: string): Promise<DraftView> {
  n++;
  const title = `关于做好${date.slice(0, 4)}年度冬季供暖保障工作的通知（主体测试 ${n}）`;
  const text = `${title}\n各乡镇人民政府、区直各有关单位：为切实做好今冬明春供暖保障工作，现将有关事项通知如下。\n`;
  const id = await submitDraft(drafter, validForm({ title, draftingUnit: unit, documentNumber: `测试发〔${date.slice(0, 4)}〕${n}号`, documentDate: date }), textFile(text));
  const views = await decideAll(stack, new Map([[id, 'approve']]));
  const view = views.get(id)!;
  expect(view.status, JSON.stringify(view.findings)).toBe('PUBLISHED');
  return view;
}

describe('索引号 per body', () => {
  it("is the body's code / year - serial, the serials counted per body and year", async () => {
    const a = await publish(stack.drafter, DEFAULT_DRAFTER_UNIT, '2026-03-01');
    const b = await publish(townshipDrafter, TOWNSHIP_UNIT, '2026-03-02');
    const c = await publish(stack.drafter, DEFAULT_DRAFTER_UNIT, '2026-03-03');
    const d = await publish(stack.drafter, DEFAULT_DRAFTER_UNIT, '2025-05-01');
    // A unit no body lists publishes for the top body, under its code (as before bodies).
    const e = await publish(zfbDrafter, '运城市盐湖区人民政府办公室', '2026-04-01');
    expect([a, b, c, d, e].map((v) => v.publication?.indexNumber)).toEqual([
      `${fgw.code}/2026-00001`,
      `${beicheng.code}/2026-00001`,
      `${fgw.code}/2026-00002`,
      `${fgw.code}/2025-00001`,
      `${siteConfig.organizationCode}/2026-00001`,
    ]);
    expect([a, b, e].map((v) => v.publication?.body)).toEqual([
      { id: 'fgw', name: fgw.name },
      { id: 'beicheng', name: beicheng.name },
      { id: siteConfig.bodyId, name: siteConfig.siteName },
    ]);

    // Each document page names its body beside the 索引号.
    const page = await sitePage(stack, b.publication!.path);
    expect(page).toContain(`<tr><th scope="row">索引号</th><td>${beicheng.code}/2026-00001</td></tr>`);
    expect(page).toContain(`<tr><th scope="row">公开主体</th><td>${beicheng.name}</td></tr>`);
  });
});
