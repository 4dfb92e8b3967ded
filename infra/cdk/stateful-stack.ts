import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { ComparisonOperator, Metric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { METRIC, NAMESPACE } from '#shared/metrics';
import { SERVICE_NAME } from '#shared/log';
import type { Construct } from 'constructs';
import { Buckets } from './buckets.ts';
import { exportStateful, type StatefulResources } from './contract.ts';
import { Identity } from './identity.ts';
import { PipelineQueues } from './queues.ts';
import { SiteDistribution, type SiteDomain } from './site.ts';
import { DocumentTable } from './table.ts';
import { UploadEvents } from './upload-events.ts';

export interface StatefulStackProps extends StackProps {
  /** Extra browser origins that may POST presigned uploads (the site's own origin always may). */
  readonly uploadOrigins: readonly string[];
  readonly accessLogDays: number;
  readonly siteDomain?: SiteDomain;
  readonly siteWebAclArn?: string;
}

/** Everything that holds data or identity: table, buckets, queues, user pool, and the CDN in front of the site bucket. */
export class StatefulStack extends Stack {
  readonly table: DocumentTable;
  readonly buckets: Buckets;
  readonly queues: PipelineQueues;
  readonly site: SiteDistribution;
  readonly identity: Identity;
  readonly resources: StatefulResources;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    this.table = new DocumentTable(this, 'Documents');
    this.buckets = new Buckets(this, 'Buckets', { accessLogDays: props.accessLogDays });
    // The CDN lives here because its Origin Access Control writes the site bucket's policy.
    this.site = new SiteDistribution(this, 'Site', {
      bucket: this.buckets.byName.site,
      logBucket: this.buckets.logs,
      ...(props.siteDomain ? { domain: props.siteDomain } : {}),
      ...(props.siteWebAclArn ? { webAclArn: props.siteWebAclArn } : {}),
    });
    this.buckets.allowBrowserUploads([this.site.url, ...props.uploadOrigins]);
    this.queues = new PipelineQueues(this, 'Queues');
    // 依申请公开: an application past its statutory deadline (the daily watch's metric) needs a person.
    new Metric({ namespace: NAMESPACE, metricName: METRIC.applicationsOverdue, dimensionsMap: { service: SERVICE_NAME }, period: Duration.days(1), statistic: Stats.MAXIMUM })
      .createAlarm(this, 'applications-overdue-alarm', {
        alarmDescription: 'Applications for government information (依申请公开) are past their statutory deadline (条例 Art. 33): see the console’s deadline list.',
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      })
      .addAlarmAction(new SnsAction(this.queues.alarmTopic));
    new UploadEvents(this, 'UploadEvents', { buckets: this.buckets.byName, queues: this.queues.byName });
    this.identity = new Identity(this, 'Identity');

    this.resources = {
      table: this.table.table,
      buckets: this.buckets.byName,
      queues: this.queues.byName,
      userPoolId: this.identity.userPool.userPoolId,
      userPoolClientId: this.identity.client.userPoolClientId,
      siteUrl: this.site.url,
      siteDistributionId: this.site.distribution.distributionId,
    };
    exportStateful(this, this.resources);
  }
}
