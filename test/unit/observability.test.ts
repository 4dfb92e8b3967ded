import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { log, withChildLog } from '#shared/log';
import { metrics, NAMESPACE, recordTransition, setMetricsSink, type EmfDocument } from '#shared/metrics';
import { observe } from '#shared/observe';
import { MetricsCollector } from '#infra/local/metrics';

/** Issue 11.5: logs, metrics and tracing from Powertools for AWS Lambda. */
const context = {
  functionName: 'check-draft',
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:cn-north-1:1:function:check-draft',
  memoryLimitInMB: '512',
} as unknown as Context;

/** Lines written to stdout while `f` runs (Powertools writes its JSON there, as Lambda's runtime reads it). */
async function stdoutOf(f: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    await f();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

afterEach(() => setMetricsSink(undefined));

describe('logs (Powertools Logger)', () => {
  it('are one JSON object per line with the service, the Lambda context and the draft as correlation id', async () => {
    const handler = observe('check-draft', async () => {
      log.setCorrelationId('01JDRAFT');
      log.info('checked', { findings: 2 });
    });
    const lines = await stdoutOf(() => handler({}, context));
    const entry = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e.message === 'checked');
    expect(entry).toMatchObject({
      level: 'INFO',
      message: 'checked',
      service: 'gongkai',
      function_name: 'check-draft',
      function_request_id: 'req-1',
      correlation_id: '01JDRAFT',
      findings: 2,
    });
    expect(typeof entry!.timestamp).toBe('string');
  });

  it("keep each record's correlation id to its own lines, even when records run at once", async () => {
    const handler = observe('check-draft', async () => {
      await Promise.all(
        ['A', 'B'].map((id) =>
          withChildLog(async () => {
            log.setCorrelationId(id);
            await new Promise((r) => setTimeout(r, id === 'A' ? 20 : 0));
            log.info('record', { id });
          }),
        ),
      );
    });
    const entries = (await stdoutOf(() => handler({}, context)))
      .map((l) => JSON.parse(l) as { message: string; id?: string; correlation_id?: string })
      .filter((e) => e.message === 'record');
    expect(entries).toHaveLength(2);
    for (const e of entries) expect(e.correlation_id).toBe(e.id);
  });
});

describe('metrics (Powertools Metrics, EMF)', () => {
  it('are flushed once per invocation as valid EMF: namespace, dimensions, units, values', async () => {
    const handler = observe('decide-task', async () => {
      metrics.draftEnteredStage('APPROVED');
      metrics.draftEnteredStage('APPROVED');
      metrics.approvalWait('approve', 90_000);
    });
    const lines = await stdoutOf(() => handler({}, { ...context, functionName: 'decide-task' }));
    const docs = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((d) => d._aws);
    expect(docs).toHaveLength(2); // one per dimension set
    const stage = docs.find((d) => d.stage === 'APPROVED') as {
      _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
      DraftsEnteredStage: number;
    };
    expect(stage._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: NAMESPACE, Metrics: [{ Name: 'DraftsEnteredStage', Unit: 'Count' }] });
    expect(stage._aws.CloudWatchMetrics[0]!.Dimensions[0]).toEqual(expect.arrayContaining(['service', 'stage']));
    expect(stage.DraftsEnteredStage).toBe(2);
    const wait = docs.find((d) => d.kind === 'approve') as Record<string, unknown>;
    expect(wait.ApprovalWaitSeconds).toBe(90);
  });

  it("follow a status change: the stage entered, the rules that rejected, the decided task's wait, the publication's latency", async () => {
    const collector = new MetricsCollector();
    setMetricsSink((doc: EmfDocument) => collector.receive(doc));
    const created = '2026-12-01T00:00:00.000Z';
    await observe('x', async () => {
      recordTransition(
        {},
        {
          status: 'REJECTED',
          createdAt: created,
          findings: [
            { ruleId: 'ATTR-2', severity: 'block' },
            { ruleId: 'ATTR-2', severity: 'block' },
            { ruleId: 'INT-1', severity: 'warn' },
          ],
        },
        false,
        Date.parse(created),
      );
      recordTransition({ task: { kind: 'approve', enqueuedAt: created } }, { status: 'PUBLISHING', createdAt: created }, true, Date.parse(created) + 60_000);
      recordTransition({}, { status: 'PUBLISHED', createdAt: created }, false, Date.parse(created) + 3_600_000);
    })({}, context);
    expect(collector.series('Rejections').map((s) => [s.dimensions.rule, s.sum])).toEqual([['ATTR-2', 1]]);
    expect(collector.series('ApprovalWaitSeconds').map((s) => s.sum)).toEqual([60]);
    expect(collector.series('PublicationLatencySeconds').map((s) => s.sum)).toEqual([3600]);
    expect(
      collector
        .series('DraftsEnteredStage')
        .map((s) => s.dimensions.stage)
        .sort(),
    ).toEqual(['PUBLISHED', 'PUBLISHING', 'REJECTED']);
    expect(collector.summary()).toContain('PublicationLatencySeconds');
  });
});
