import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC, NAMESPACE } from '#shared/metrics';
import { validForm } from '../support/forms.ts';
import { claimFor } from '../support/api.ts';
import { submitDraft, textFile } from '../support/publish.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 11.5: what an operator reads in CloudWatch, produced by the real pipeline on the
 * emulators. One draft is approved and published, one is rejected by the rulebook; the
 * handlers' EMF metrics (collected by the local runner where Lambda would write them to the
 * log) then show the stages entered, the rule that rejected, the task's wait and the
 * publication's latency.
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.cleanup();
});

const BODY = '关于做好2026年度冬季供暖保障工作的通知\n各乡镇人民政府、区直各有关单位：为切实做好今冬明春供暖保障工作，现将有关事项通知如下。\n';

describe('metrics from the pipeline', () => {
  it('count the stages entered, name the rule that rejected, time the approval wait and the publication', async () => {
    const publishedId = await submitDraft(
      stack.drafter,
      validForm({ title: '关于做好2026年度冬季供暖保障工作的通知（观测）', documentNumber: '运盐政办发〔2026〕91号' }),
      textFile(BODY),
    );
    // A document with no text cannot be checked: the rulebook blocks it.
    const rejectedId = await submitDraft(stack.drafter, validForm({ title: '空白文件（观测）', documentNumber: '运盐政办发〔2026〕92号' }), textFile('\n \n'));

    const rejected = await stack.drafter.waitForStatus(rejectedId, ['REJECTED', 'PENDING_APPROVAL']);
    expect(rejected.status).toBe('REJECTED');
    const rules = [...new Set(rejected.findings.filter((f) => f.severity === 'block').map((f) => f.ruleId))];
    expect(rules.length).toBeGreaterThan(0);

    await stack.drafter.waitForStatus(publishedId, ['PENDING_APPROVAL']);
    const claim = await claimFor(stack.approver, publishedId);
    await stack.approver.decide(publishedId, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'approve' });
    const published = await stack.drafter.waitForStatus(publishedId, ['PUBLISHED']);
    expect(published.status).toBe('PUBLISHED');

    const m = stack.metrics;
    const stages = new Map(m.series(METRIC.draftsEnteredStage).map((s) => [s.dimensions.stage, s.sum]));
    // Both drafts were created awaiting upload and extracted; the one with no text was rejected
    // there, the other checked, approved and published.
    expect(stages.get('AWAITING_UPLOAD')).toBe(2);
    expect(stages.get('EXTRACTING')).toBe(2);
    expect(stages.get('CHECKING')).toBe(1);
    expect(stages.get('REJECTED')).toBe(1);
    expect(stages.get('PENDING_APPROVAL')).toBe(1);
    expect(stages.get('PUBLISHED')).toBe(1);

    const rejections = m.series(METRIC.rejections);
    expect(rejections.map((s) => s.dimensions.rule).sort()).toEqual(rules.sort());
    expect(rejections.every((s) => s.sum === 1 && s.unit === 'Count')).toBe(true);

    const [wait] = m.series(METRIC.approvalWaitSeconds);
    expect(wait).toMatchObject({ dimensions: expect.objectContaining({ kind: 'approve' }), samples: 1, unit: 'Seconds' });
    expect(wait!.min).toBeGreaterThanOrEqual(0);

    const [latency] = m.series(METRIC.publicationLatencySeconds);
    expect(latency).toMatchObject({ samples: 1, unit: 'Seconds' });
    // Publication comes after the approval: its latency includes the wait.
    expect(latency!.min).toBeGreaterThanOrEqual(wait!.max);

    // Every document is in the namespace, with the service dimension, and names its function.
    expect(m.documents.length).toBeGreaterThan(0);
    for (const doc of m.documents) {
      const d = doc as unknown as { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] }; service: string; function_name?: string };
      expect(d._aws.CloudWatchMetrics[0]!.Namespace).toBe(NAMESPACE);
      expect(d._aws.CloudWatchMetrics[0]!.Dimensions[0]).toContain('service');
      expect(d.service).toBe('gongkai');
      expect(typeof d.function_name).toBe('string');
    }
    const functions = new Set(m.documents.map((d) => (d as unknown as { function_name: string }).function_name));
    expect([...functions]).toEqual(expect.arrayContaining(['create-draft', 'decide-task']));
  });
});
