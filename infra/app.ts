/**
 * The CDK app: AWS resources built from shared/topology.ts, in two stacks —
 * `<prefix>-Stateful` (table, buckets, queues, users, CDN) and `<prefix>-Service`
 * (functions, triggers, HTTP API) — checked by cdk-nag (AwsSolutions) on every synth.
 *
 * `cdk synth` runs this file (cdk.json: `npx tsx infra/app.ts`); tests call buildApp().
 * Context (cdk.json or `-c`): gongkai:prefix, gongkai:allowedOrigins (comma-separated
 * origins of the upload page / approver console besides the site itself).
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App, Tags, Validations, type Environment } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ServiceStack } from '#infra/cdk/service-stack';
import { StatefulStack } from '#infra/cdk/stateful-stack';
import { DEFAULTS } from '#shared/env';

export interface GongkaiAppProps {
  /** Cloud assembly directory (tests pass a temporary one). Default: the CLI's, else a temp dir. */
  readonly outdir?: string;
  /** Context as cdk.json would give it (feature flags, gongkai:* settings, aws:cdk:bundling-stacks). */
  readonly context?: Record<string, unknown>;
  /** Stack name prefix, also the prefix of the export names. Default: context gongkai:prefix, else "Gongkai". */
  readonly prefix?: string;
  /** Browser origins besides the site that may call the API and POST uploads. Default: context gongkai:allowedOrigins. */
  readonly allowedOrigins?: readonly string[];
  /** Account/region; default: the CLI's (environment-agnostic when offline). */
  readonly env?: Environment;
  /** Run cdk-nag's AwsSolutions checks during synth. Default true. */
  readonly nag?: boolean;
}

export interface GongkaiApp {
  readonly app: App;
  readonly stateful: StatefulStack;
  readonly service: ServiceStack;
}

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Logs are kept 180 days: the Cybersecurity Law (网络安全法, art. 21) asks operators to keep
 * network logs for at least six months. Access-log objects (S3, CloudFront) are kept a year.
 */
const LOG_RETENTION = RetentionDays.SIX_MONTHS;
const ACCESS_LOG_DAYS = 365;

const listFromContext = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map(String)
    : typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];

export function buildApp(props: GongkaiAppProps = {}): GongkaiApp {
  const app = new App({ ...(props.outdir ? { outdir: props.outdir } : {}), ...(props.context ? { context: props.context } : {}) });
  const prefix = props.prefix ?? String(app.node.tryGetContext('gongkai:prefix') ?? 'Gongkai');
  const origins = props.allowedOrigins ?? listFromContext(app.node.tryGetContext('gongkai:allowedOrigins'));
  const env = props.env ?? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };

  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    env,
    description: 'Gongkai (公开): documents table, drafts and site buckets, queues, staff accounts, CDN',
    uploadOrigins: origins,
    accessLogDays: ACCESS_LOG_DAYS,
    terminationProtection: true,
  });
  const service = new ServiceStack(app, `${prefix}-Service`, {
    env,
    description: 'Gongkai (公开): pipeline functions, schedules and HTTP API',
    statefulStackName: stateful.stackName,
    projectRoot: PROJECT_ROOT,
    apiOrigins: origins,
    throttle: { rateLimit: 20, burstLimit: 50 },
    logRetention: LOG_RETENTION,
    uploads: { maxBytes: DEFAULTS.maxUploadBytes, expirySeconds: DEFAULTS.uploadExpirySeconds },
  });
  // The service imports the stateful exports by name, which CDK cannot see as a dependency.
  service.addStackDependency(stateful, 'imports its exports by name');

  Tags.of(app).add('project', 'gongkai');
  if (props.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, service };
}

// `cdk synth` / `cdk deploy`: the CLI runs this file and reads the assembly it writes.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildApp().app.synth();
}
