import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { ComparisonOperator, Stats, TreatMissingData, type Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { topology, type QueueName, type QueueSpec } from '#shared/topology';

/**
 * The topology's queues, each with its own dead-letter queue and an alarm on that DLQ; every
 * alarm notifies the operators' topic (the deployer subscribes to it: see the README).
 */
export class PipelineQueues extends Construct {
  /** Where every alarm goes: subscribe an e-mail address or a pager to it after deploying. */
  readonly alarmTopic: Topic;
  readonly byName: Readonly<Record<QueueName, Queue>>;
  readonly deadLetters: Readonly<Record<QueueName, Queue>>;
  readonly alarms: Readonly<Record<QueueName, Alarm>>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const byName = {} as Record<QueueName, Queue>;
    const deadLetters = {} as Record<QueueName, Queue>;
    const alarms = {} as Record<QueueName, Alarm>;
    const secure = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true } as const;
    // Encrypted with a key of our own: CloudWatch cannot publish to a topic under the AWS-managed SNS key.
    const alarmKey = new Key(this, 'alarm-topic-key', { enableKeyRotation: true, description: 'Gongkai alarm topic' });
    alarmKey.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.alarmTopic = new Topic(this, 'alarms', { displayName: 'Gongkai 告警 / alarms', masterKey: alarmKey, enforceSSL: true });
    const notify = new SnsAction(this.alarmTopic);
    new CfnOutput(Stack.of(this), 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'Subscribe to this topic (aws sns subscribe --protocol email ...) to be told when a message lands in a dead-letter queue',
    });

    for (const [name, spec] of Object.entries(topology.queues) as [QueueName, QueueSpec][]) {
      assertLeaseCoversConsumer(name, spec);
      // A FIFO queue's dead-letter queue must be FIFO too.
      const fifo = spec.fifo ? { fifo: true } : {};
      const dlq = new Queue(this, `${name}-dlq`, { ...secure, ...fifo, retentionPeriod: Duration.days(14) });
      byName[name] = new Queue(this, name, {
        ...secure,
        ...fifo,
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(spec.retentionDays),
        deadLetterQueue: { queue: dlq, maxReceiveCount: spec.maxReceiveCount },
      });
      deadLetters[name] = dlq;
      // SQS publishes queue metrics every 5 minutes; any message at all in a DLQ needs a person.
      alarms[name] = dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: Stats.MAXIMUM }).createAlarm(this, `${name}-dlq-alarm`, {
        alarmDescription: `Messages of the ${name} queue (${spec.description}) failed ${spec.maxReceiveCount} times and are parked in its DLQ.`,
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarms[name].addAlarmAction(notify);
    }
    this.byName = byName;
    this.deadLetters = deadLetters;
    this.alarms = alarms;
  }
}

/** A message must stay hidden while its consumer may still be working on it, or it is delivered twice at once. */
function assertLeaseCoversConsumer(name: QueueName, spec: QueueSpec): void {
  if (!spec.consumer) return;
  const timeout = topology.functions[spec.consumer.fn].timeoutSeconds;
  if (spec.visibilityTimeoutSeconds < timeout) {
    throw new Error(`Queue ${name}: visibility timeout ${spec.visibilityTimeoutSeconds}s is shorter than ${spec.consumer.fn}'s timeout ${timeout}s`);
  }
}
