import { Stack } from 'aws-cdk-lib';
import { EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { topology, type BucketName, type QueueName } from '#shared/topology';
import { acknowledge } from './nag.ts';

export interface UploadEventsProps {
  readonly buckets: Readonly<Record<BucketName, IBucket>>;
  readonly queues: Readonly<Record<QueueName, IQueue>>;
}

/** S3 → SQS notifications from topology.notifications (object created under a prefix). */
export class UploadEvents extends Construct {
  constructor(scope: Construct, id: string, props: UploadEventsProps) {
    super(scope, id);
    for (const n of topology.notifications) {
      props.buckets[n.bucket].addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(props.queues[n.queue]), { prefix: n.prefix });
    }
    // CDK writes bucket notifications through its own singleton custom-resource function.
    const handler = Stack.of(this).node.children.find((c) => c.node.id.startsWith('BucketNotificationsHandler'));
    if (handler) {
      acknowledge(
        handler,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        "CDK's own bucket-notifications custom resource (runs only during deployment) logs through the AWS managed basic execution policy; its role is not ours to shape.",
      );
    }
  }
}
