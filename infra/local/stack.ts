import type { Server } from 'node:http';
import { availableParallelism } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { resetClients, s3 as s3Client } from '#shared/aws/clients';
import { log } from '#shared/log';
import { DEFAULTS, type Environment } from '#shared/env';
import { envName, functionEnvironment, topology, type BucketName, type DeploymentValues, type FunctionName, type QueueName } from '#shared/topology';
import { fileURLToPath } from 'node:url';
import { startApiServer } from '#infra/local/api-server';
import { deployAbout, deployWeb } from '#infra/local/web';
import { bridgeS3Events } from '#infra/local/bridge';
import { startCdn, type LocalCdn } from '#infra/local/cdn';
import { startEmulators, type EmulatorPorts, type Emulators } from '#infra/local/emulators';
import { lambdaContext, loadHandler, setFunctionEnvironments } from '#infra/local/handlers';
import { collectMetrics, type MetricsCollector } from '#infra/local/metrics';
import { QueuePoller, type PollerOptions } from '#infra/local/poller';
import { ensureQueues, ensureTable, localEnvironment, localNames, type QueueInfo } from '#infra/local/resources';
import { loadUsers, type LocalUser } from '#infra/local/users';
import { runAs } from '#infra/local/grants';
import { ensureTopBody } from '#shared/bodies';
import { now } from '#shared/clock';
import { topBodyFromSettings } from '#shared/site/config';

export interface LocalStackOptions {
  /** Where dynalite and s3rver keep their data; a second start finds it again. */
  readonly dataDir: string;
  /** Run the emulators in this process rather than in a child of their own (default: GONGKAI_EMULATORS=in-process). */
  readonly emulatorsInProcess?: boolean;
  /** 0 (the default) picks free ports. */
  readonly ports?: Partial<EmulatorPorts & { api: number; site: number }>;
  /** Run the topology's schedules on their intervals (default true). */
  readonly schedules?: boolean;
  /** See PollerOptions.retryDelaySeconds. */
  readonly retryDelaySeconds?: number;
  /** Override a queue's visibility timeout (tests of leases and retries). */
  readonly visibilityTimeouts?: Partial<Record<QueueName, number>>;
  /** Local only: a function's timeout as its context reports it (getRemainingTimeInMillis), shorter than the topology's, so a test can see a stage end its run early. */
  readonly timeouts?: Partial<Record<FunctionName, number>>;
  readonly onBatch?: PollerOptions['onBatch'];
  /** How often the local CDN reads the recorded invalidations (default 1000 ms). */
  readonly cdnPollMs?: number;
  /** Tokens beyond config/local-users.json (tests: a drafter for each unit they submit for). */
  readonly extraUsers?: readonly LocalUser[];
  /** Settings of the deployment (SETTINGS); by default those set in the runner's own environment. */
  readonly settings?: Settings;
  /**
   * Batches each standard queue's poller runs at once, as Lambda runs concurrent invocations.
   * Default 1: the tests rely on drafts moving through a stage in the order they entered it
   * (test/support/api.ts claimFor); `npm start` and the bench run as many as the machine has
   * cores (GONGKAI_POLLER_CONCURRENCY, BENCH_POLLER_CONCURRENCY). FIFO queues always run one
   * batch at a time, which keeps each message group in order.
   */
  readonly pollerConcurrency?: number;
  /**
   * Per standard queue, batches its poller runs at once instead of `pollerConcurrency`
   * (GONGKAI_POLLER_CONCURRENCY_<QUEUE>, BENCH_POLLER_CONCURRENCY_<QUEUE>): the extract stage's
   * CPU-bound work runs in a pool of workers sized to the cores (shared/extract/isolated.ts),
   * so its handler may have more records in flight than there are cores, its waits on S3 and
   * DynamoDB overlapping the others' extraction. FIFO queues still run one batch at a time.
   */
  readonly queueConcurrency?: Partial<Record<QueueName, number>>;
  /** Queues left without a poller: a test receives their messages and delivers them itself (invoke), in the order and overlap it needs. */
  readonly unpolledQueues?: readonly QueueName[];
}

export interface LocalStack {
  readonly apiUrl: string;
  readonly siteUrl: string;
  readonly endpoints: { readonly dynamodb: string; readonly s3: string; readonly sqs: string };
  readonly names: ReturnType<typeof localNames>;
  readonly queues: Record<QueueName, QueueInfo>;
  readonly env: Record<string, string>;
  readonly sqs: SQSClient;
  /** The emulators' process (by default a child of this one: see emulators.ts) and the CPU it has used. */
  readonly emulators: Pick<Emulators, 'pid' | 'cpuUsage'>;
  /** The local CloudFront: its cache and the invalidations it has honoured. */
  readonly cdn: LocalCdn;
  /** The environment each function runs with: exactly what the CDK app would give it (functionEnvironment), and nothing else. */
  environmentOf(fn: FunctionName): Environment;
  /** The handlers' metrics (EMF documents), as CloudWatch would receive them. */
  readonly metrics: MetricsCollector;
  /** Changes settings of the deployment (as a new deployment would: every function starts cold). */
  configure(settings: Settings): void;
  /** Invokes a function directly, as Lambda would for a scheduled or manual invocation. */
  invoke<T = unknown>(fn: FunctionName, event: unknown): Promise<T>;
  /** Resolves once every poller is idle, every consumer queue looks empty and the CDN has honoured the recorded invalidations. */
  settle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const REGION = 'us-east-1';

/** Poller concurrency for a whole machine's worth of work (npm start, the bench): its cores, at least 2. */
export const machineConcurrency = (): number => Math.max(2, availableParallelism());

/**
 * The deployment's settings, read from the runner's environment (or given by a test): the
 * upload limits go to the functions the CDK app gives them to (functionEnvironment); the
 * others, which a deployment would set on every function, to every function.
 */
export const SETTINGS = ['MAX_UPLOAD_BYTES', 'UPLOAD_EXPIRY_SECONDS', 'TASK_OVERDUE_DAYS', 'REVIEW_APPLICATION_THRESHOLD', 'GONGKAI_DEBUG', 'POWERTOOLS_LOG_LEVEL'] as const;
export type Settings = Partial<Record<(typeof SETTINGS)[number], string>>;
const settingsOf = (vars: Environment): Settings => Object.fromEntries(SETTINGS.flatMap((k) => (vars[k] ? [[k, vars[k]]] : [])));

/**
 * The whole pipeline on one machine: emulators, resources from the topology, the S3
 * event bridge, one poller per consumer queue, the API, the CDN and the schedules.
 * Handlers run in this process with the environment the CDK app would give them.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const names = localNames();
  const ports = options.ports ?? {};
  // The handlers' EMF metrics are collected here rather than written to the console.
  const metrics = collectMetrics();
  const concurrency = options.pollerConcurrency ?? 1;
  const emulators = await startEmulators({
    dataDir: options.dataDir,
    ports,
    bucketNames: names.buckets,
    ...(options.emulatorsInProcess !== undefined ? { inProcess: options.emulatorsInProcess } : {}),
  });
  const servers: Server[] = [];
  let site: LocalCdn | undefined;
  const pollers: QueuePoller[] = [];
  const timers: NodeJS.Timeout[] = [];
  try {
    // Credentials are placeholders: the emulators accept any well-formed signature.
    Object.assign(process.env, {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      S3_ENDPOINT: emulators.endpoints.s3,
      DYNAMODB_ENDPOINT: emulators.endpoints.dynamodb,
      SQS_ENDPOINT: emulators.endpoints.sqs,
      // The pinned SDK runs on Node 20; its notice about future releases needing Node 22
      // is known (README, "Versions") and would otherwise open every run.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    resetClients();
    const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
    const sqs = new SQSClient({ region: REGION, endpoint: emulators.endpoints.sqs, credentials });
    const dynamo = new DynamoDBClient({ region: REGION, endpoint: emulators.endpoints.dynamodb, credentials });
    await ensureTable(dynamo, names.table);
    const queues = await ensureQueues(sqs, names);
    const env = localEnvironment(names, queues);

    // Invalidations are recorded in the (private) drafts bucket; the CDN polls the records.
    const cdnEnv = { [envName.localInvalidations]: names.buckets.drafts };
    site = await startCdn({
      port: ports.site ?? 0,
      s3: s3Client(),
      bucket: names.buckets.site,
      invalidations: names.buckets.drafts,
      ...(options.cdnPollMs !== undefined ? { pollMs: options.cdnPollMs } : {}),
    });
    Object.assign(process.env, env, cdnEnv, { SITE_URL: site.url });

    // Each function runs with its own environment, as in AWS: its resources' names, the
    // platform's (region, local endpoints and credentials) and the deployment's settings.
    const platform: Environment = {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      S3_ENDPOINT: emulators.endpoints.s3,
      DYNAMODB_ENDPOINT: emulators.endpoints.dynamodb,
      SQS_ENDPOINT: emulators.endpoints.sqs,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    let settings: Settings = options.settings ?? settingsOf(process.env);
    const environments = {} as Record<FunctionName, Environment>;
    const deploy = () => {
      const { MAX_UPLOAD_BYTES, UPLOAD_EXPIRY_SECONDS, ...everywhere } = settings;
      const deployment: DeploymentValues = {
        table: names.table,
        buckets: names.buckets,
        queueUrls: Object.fromEntries((Object.keys(queues) as QueueName[]).map((q) => [q, queues[q].url])) as Record<QueueName, string>,
        cdn: { localRecords: names.buckets.drafts },
        siteUrl: site!.url,
        uploads: { maxBytes: Number(MAX_UPLOAD_BYTES ?? DEFAULTS.maxUploadBytes), expirySeconds: Number(UPLOAD_EXPIRY_SECONDS ?? DEFAULTS.uploadExpirySeconds) },
      };
      for (const fn of Object.keys(topology.functions) as FunctionName[]) {
        environments[fn] = Object.freeze({ ...platform, ...everywhere, ...functionEnvironment(fn, deployment) });
      }
      setFunctionEnvironments(environments);
    };
    deploy();

    const api = await startApiServer({ port: ports.api ?? 0, users: [...(await loadUsers()), ...(options.extraUsers ?? [])] });
    servers.push(api.server);
    const root = fileURLToPath(new URL('../../', import.meta.url));
    await deployWeb({ s3: s3Client(), bucket: names.buckets.site, root, config: { apiUrl: api.url } });
    await deployAbout({ s3: s3Client(), bucket: names.buckets.site, root });
    // The platform's top body from the single-body settings, once (a store made before bodies becomes its data).
    await runAs('create-body', () => ensureTopBody(topBodyFromSettings(root), now()));

    const bucketOf = (name: string) => (Object.entries(names.buckets) as [BucketName, string][]).find(([, n]) => n === name)?.[0];
    bridgeS3Events({ source: emulators.s3Events, sqs, queueUrl: (q) => queues[q].url, bucketOf });

    for (const [q, spec] of Object.entries(topology.queues) as [QueueName, (typeof topology.queues)[QueueName]][]) {
      if (!('consumer' in spec) || options.unpolledQueues?.includes(q)) continue;
      const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queues[q].url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
      const poller = new QueuePoller({
        sqs,
        queueUrl: queues[q].url,
        queueArn: arn,
        region: REGION,
        fn: spec.consumer.fn,
        handler: await loadHandler(spec.consumer.fn),
        batchSize: spec.consumer.batchSize,
        visibilityTimeoutSeconds: options.visibilityTimeouts?.[q] ?? spec.visibilityTimeoutSeconds,
        ...(options.timeouts?.[spec.consumer.fn] !== undefined ? { timeoutSeconds: options.timeouts[spec.consumer.fn] } : {}),
        ...(options.retryDelaySeconds !== undefined ? { retryDelaySeconds: options.retryDelaySeconds } : {}),
        ...(options.onBatch ? { onBatch: options.onBatch } : {}),
        concurrency: 'fifo' in spec && spec.fifo ? 1 : (options.queueConcurrency?.[q] ?? concurrency),
      });
      poller.start();
      pollers.push(poller);
    }

    const invoke = async <T>(fn: FunctionName, event: unknown): Promise<T> => (await loadHandler(fn))(event, lambdaContext(fn, options.timeouts?.[fn])) as Promise<T>;

    // The queues live in memory: after a restart, put every in-flight draft back on its queue.
    await invoke('reconcile', { stageSeconds: 0 });
    if (options.schedules !== false) {
      for (const s of topology.schedules) {
        timers.push(
          setInterval(() => {
            invoke(s.fn, { source: 'local.scheduler', schedule: s.name }).catch((err: unknown) => log.error('schedule failed', { schedule: s.name, error: String(err) }));
          }, s.everyMinutes * 60_000).unref(),
        );
      }
    }

    const consumerQueues = (Object.keys(topology.queues) as QueueName[]).filter((q) => 'consumer' in topology.queues[q]);
    const settle = async (timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      let quietRounds = 0;
      while (Date.now() < deadline) {
        const depths = await Promise.all(
          consumerQueues.map(async (q) => {
            const a = await sqs.send(
              new GetQueueAttributesCommand({ QueueUrl: queues[q].url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
            );
            return Number(a.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
          }),
        );
        quietRounds = depths.every((d) => d === 0) && pollers.every((p) => p.idle) ? quietRounds + 1 : 0;
        if (quietRounds >= 3) {
          // Quiet includes the CDN: invalidations recorded by the last runs are honoured now,
          // rather than at the CDN's next poll.
          await site?.poll();
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`local stack did not settle within ${timeoutMs} ms`);
    };

    return {
      apiUrl: api.url,
      siteUrl: site.url,
      endpoints: emulators.endpoints,
      emulators: { pid: emulators.pid, cpuUsage: () => emulators.cpuUsage() },
      names,
      queues,
      env: { ...env, ...cdnEnv, SITE_URL: site.url },
      environmentOf: (fn) => environments[fn],
      metrics,
      configure(changes) {
        settings = { ...settings, ...changes };
        for (const [k, v] of Object.entries(changes)) if (v === undefined) delete settings[k as keyof Settings];
        deploy();
      },
      sqs,
      cdn: site,
      invoke,
      settle,
      async stop() {
        timers.forEach(clearInterval);
        await Promise.all(pollers.map((p) => p.stop()));
        await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
        await site?.stop();
        await emulators.stop();
      },
    };
  } catch (err) {
    timers.forEach(clearInterval);
    await Promise.all(pollers.map((p) => p.stop()));
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await site?.stop();
    await emulators.stop();
    throw err;
  }
}
