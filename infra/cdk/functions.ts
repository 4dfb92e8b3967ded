import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { topology, type FunctionName, type FunctionSpec, type QueueName, type QueueSpec } from '#shared/topology';
import type { StatefulResources } from './contract.ts';
import { GongkaiFunction } from './function-defaults.ts';

export interface UploadLimits {
  /** MAX_UPLOAD_BYTES: the largest accepted upload. */
  readonly maxBytes: number;
  /** UPLOAD_EXPIRY_SECONDS: how long a presigned upload stays valid. */
  readonly expirySeconds: number;
}

export interface PipelineFunctionsProps {
  readonly resources: StatefulResources;
  readonly projectRoot: string;
  readonly logRetention: RetentionDays;
  readonly uploads: UploadLimits;
}

/** Every function of topology.functions, bound to what it declares, fed by its queue or its schedule. */
export class PipelineFunctions extends Construct {
  readonly byName: Readonly<Record<FunctionName, GongkaiFunction>>;
  /** The Lambda functions themselves, for integrations. */
  readonly handlers: Readonly<Record<FunctionName, IFunction>>;

  constructor(scope: Construct, id: string, props: PipelineFunctionsProps) {
    super(scope, id);
    const { resources } = props;
    const byName = {} as Record<FunctionName, GongkaiFunction>;
    const handlers = {} as Record<FunctionName, IFunction>;

    for (const [name, spec] of Object.entries(topology.functions) as [FunctionName, FunctionSpec][]) {
      const fn = new GongkaiFunction(this, name, { name, spec, projectRoot: props.projectRoot, logRetention: props.logRetention }).bindAll(resources, props.uploads);
      byName[name] = fn;
      handlers[name] = fn.fn;
    }

    for (const [queue, spec] of Object.entries(topology.queues) as [QueueName, QueueSpec][]) {
      if (spec.consumer) byName[spec.consumer.fn].consume(resources.queues[queue], spec.consumer.batchSize);
    }

    for (const s of topology.schedules) {
      new Rule(this, `schedule-${s.name}`, {
        description: `Gongkai ${s.name}: runs ${s.fn} every ${s.everyMinutes} minutes`,
        schedule: Schedule.rate(Duration.minutes(s.everyMinutes)),
        // The next run comes soon and every run is idempotent: no retries piling up.
        targets: [new LambdaFunction(byName[s.fn].fn, { retryAttempts: 0 })],
      });
    }
    this.byName = byName;
    this.handlers = handlers;
  }
}
