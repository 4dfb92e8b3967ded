import { ROUTE_LIST } from '#shared/routes';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp, type GongkaiApp } from '#infra/app';
import { EXPORT_KEYS, exportName } from '#infra/cdk/contract';
import {
  bucketGrants,
  deletesInBucket,
  KEYS,
  purgesVersions,
  envName,
  readsBucket,
  topology,
  writesBucket,
  type BucketName,
  type FunctionName,
  type FunctionSpec,
  type QueueAccess,
  type QueueName,
  type QueueSpec,
} from '#shared/topology';

/**
 * The CDK app as the CLI builds it (same cdk.json context), synthesized once without
 * bundling and without the CloudFormation validator; cdk-nag runs as in `cdk synth`.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Principal?: unknown;
  readonly Condition?: Json;
}

const FUNCTIONS = Object.entries(topology.functions) as [FunctionName, FunctionSpec][];
const QUEUES = Object.entries(topology.queues) as [QueueName, QueueSpec][];
const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Json };

let outdir: string;
let built: GongkaiApp;
let stateful: Json;
let service: Json;

const idOf = (c: IConstruct): string => Stack.of(c).getLogicalId(c.node.defaultChild as CfnElement);
const fnId = (name: FunctionName) => idOf(built.service.functions.byName[name].fn);
const resourcesOf = (tpl: Json, type: string): [string, Json][] => Object.entries<Json>(tpl.Resources).filter(([, r]) => r.Type === type);
const importOf = (key: string) => ({ 'Fn::ImportValue': exportName(built.stateful.stackName, key) });
const actionsOf = (s: Statement) => [s.Action].flat();
const resourcesOfStatement = (s: Statement) => [s.Resource].flat().map((r) => JSON.stringify(r));

/** Every Allow statement in the policies attached to a function's role. */
function grantsOf(name: FunctionName): Statement[] {
  return grantsOfRole(idOf(built.service.functions.byName[name].role));
}

/** The logical id of CDK's BucketDeployment singleton function (it lives at the stack's root). */
function deploymentHandlerId(): string {
  const handler = built.service.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!handler) throw new Error('no BucketDeployment handler in the service stack');
  return idOf(handler);
}

function grantsOfRole(roleId: string): Statement[] {
  return resourcesOf(service, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as Json[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[])
    .filter((s) => s.Effect === 'Allow');
}

const bucketObjects = (b: BucketName, prefix = '') => JSON.stringify({ 'Fn::Join': ['', [importOf(EXPORT_KEYS.bucketArn(b)), `/${prefix}*`]] });
const bucketItself = (b: BucketName) => JSON.stringify(importOf(EXPORT_KEYS.bucketArn(b)));
const queueArn = (q: QueueName) => JSON.stringify(importOf(EXPORT_KEYS.queueArn(q)));
const tableArn = () => JSON.stringify(importOf(EXPORT_KEYS.tableArn));

/** Whether the function's role allows `action` on exactly this resource (JSON of the template value). */
const allows = (name: FunctionName, action: string, resource: string) => grantsOf(name).some((s) => actionsOf(s).includes(action) && resourcesOfStatement(s).includes(resource));

beforeAll(() => {
  vi.stubEnv('CDK_VALIDATION', 'false');
  outdir = mkdtempSync(path.join(tmpdir(), 'gongkai-cdk-'));
  built = buildApp({ outdir, context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  // cdk-nag runs here as a validation plugin; an unacknowledged finding makes synth throw.
  const assembly = built.app.synth();
  stateful = assembly.getStackArtifact(built.stateful.artifactId).template as Json;
  service = assembly.getStackArtifact(built.service.artifactId).template as Json;
});

afterAll(() => {
  vi.unstubAllEnvs();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('functions', () => {
  it('every topology function exists once, on Node.js 24 / arm64 (x86_64 where declared) with its memory and timeout', () => {
    // Besides the topology's functions there is one: CDK's BucketDeployment handler (web apps, below).
    expect(resourcesOf(service, 'AWS::Lambda::Function')).toHaveLength(FUNCTIONS.length + 1);
    const others = resourcesOf(service, 'AWS::Lambda::Function').filter(([id]) => !FUNCTIONS.some(([name]) => fnId(name) === id));
    expect(others.map(([id]) => id)).toEqual([deploymentHandlerId()]);
    for (const [name, spec] of FUNCTIONS) {
      const p = service.Resources[fnId(name)].Properties;
      expect(p, name).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: [spec.architecture ?? 'arm64'],
        Handler: 'index.handler',
        MemorySize: spec.memoryMB,
        Timeout: spec.timeoutSeconds,
        Description: spec.description,
        // Powertools' tracing: X-Ray on every function.
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it('each function gets exactly the environment variables of what it is bound to', () => {
    for (const [name, spec] of FUNCTIONS) {
      // No NODE_OPTIONS: --enable-source-maps made every cold start parse the whole map (issue 17.5).
      const expected = new Set<string>();
      if (spec.table) expected.add(envName.table);
      for (const b of Object.keys(spec.buckets ?? {}) as BucketName[]) expected.add(envName.bucket(b));
      for (const q of Object.keys(spec.queues ?? {}) as QueueName[]) expected.add(envName.queue(q));
      for (const a of spec.assets ?? []) expected.add(a.env);
      if (spec.buckets?.site) expected.add('SITE_URL');
      if (spec.cdn) expected.add(envName.distribution);
      // Presigning limits go to writers of the whole drafts bucket, not to writers of a prefix (search entries).
      if (bucketGrants(spec.buckets?.drafts).some((g) => g.prefix === '' && writesBucket(g.access))) {
        expected.add('MAX_UPLOAD_BYTES');
        expected.add('UPLOAD_EXPIRY_SECONDS');
      }
      // A function bound to nothing has no environment at all.
      const vars = (service.Resources[fnId(name)].Properties.Environment?.Variables ?? {}) as Json;
      expect(new Set(Object.keys(vars)), name).toEqual(expected);
      for (const q of Object.keys(spec.queues ?? {}) as QueueName[]) expect(vars[envName.queue(q)]).toEqual(importOf(EXPORT_KEYS.queueUrl(q)));
      for (const b of Object.keys(spec.buckets ?? {}) as BucketName[]) expect(vars[envName.bucket(b)]).toEqual(importOf(EXPORT_KEYS.bucketName(b)));
    }
    const extract = service.Resources[fnId('extract-document')].Properties.Environment.Variables as Json;
    expect(extract.PDF_CMAP_DIR).toBe('/var/task/cmaps/');
    // render-site runs pagefind's x86_64 Linux binary, shipped beside its handler.
    const renderSite = service.Resources[fnId('render-site')].Properties;
    expect(renderSite.Environment.Variables.PAGEFIND_DIR).toBe('/var/task/pagefind/');
    expect(renderSite.Architectures).toEqual(['x86_64']);
    // …and ocr-document the x86_64 Linux builds of onnxruntime, sharp and @napi-rs/canvas (issue 14).
    expect(service.Resources[fnId('ocr-document')].Properties.Architectures).toEqual(['x86_64']);
    expect(FUNCTIONS.filter(([, s]) => s.architecture === 'x86_64').map(([n]) => n)).toEqual(['ocr-document', 'render-site']);
    const publish = service.Resources[fnId('publish-document')].Properties.Environment.Variables as Json;
    expect(publish.SITE_URL).toEqual(importOf(EXPORT_KEYS.siteUrl));
    const render = service.Resources[fnId('render-site')].Properties.Environment.Variables as Json;
    expect(render[envName.distribution]).toEqual(importOf(EXPORT_KEYS.siteDistributionId));
    expect(stateful.Outputs.SiteDistributionId.Value).toEqual({ Ref: idOf(built.stateful.site.distribution) });
    expect(stateful.Outputs.SiteUrl.Value).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [idOf(built.stateful.site.distribution), 'DomainName'] }]] });
  });
});

describe('queues', () => {
  it('every queue has its own encrypted dead-letter queue with the declared maxReceiveCount', () => {
    const dlqIds = new Set<string>();
    for (const [name, spec] of QUEUES) {
      const q = stateful.Resources[idOf(built.stateful.queues.byName[name])].Properties;
      const dlqId = idOf(built.stateful.queues.deadLetters[name]);
      dlqIds.add(dlqId);
      expect(q, name).toMatchObject({
        VisibilityTimeout: spec.visibilityTimeoutSeconds,
        MessageRetentionPeriod: spec.retentionDays * 24 * 3600,
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: spec.maxReceiveCount },
      });
      expect(stateful.Resources[dlqId].Properties.SqsManagedSseEnabled).toBe(true);
    }
    expect(dlqIds.size).toBe(QUEUES.length);
    expect(resourcesOf(stateful, 'AWS::SQS::Queue')).toHaveLength(2 * QUEUES.length);
  });

  it('a consumer queue hides a message longer than its function may run (Lambda requires it)', () => {
    for (const [name, spec] of QUEUES) {
      if (spec.consumer) expect(spec.visibilityTimeoutSeconds, name).toBeGreaterThanOrEqual(topology.functions[spec.consumer.fn].timeoutSeconds);
    }
  });

  it('every queue and DLQ refuses requests without TLS', () => {
    for (const [queue] of resourcesOf(stateful, 'AWS::SQS::Queue')) {
      const policies = resourcesOf(stateful, 'AWS::SQS::QueuePolicy').filter(([, p]) => (p.Properties.Queues as Json[]).some((q) => q.Ref === queue));
      const denies = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]).filter((s) => s.Effect === 'Deny');
      expect(
        denies.some((s) => s.Condition?.Bool?.['aws:SecureTransport'] === 'false'),
        queue,
      ).toBe(true);
    }
  });

  it('an alarm fires on any message in each DLQ', () => {
    for (const [name] of QUEUES) {
      const alarm = stateful.Resources[idOf(built.stateful.queues.alarms[name])].Properties;
      expect(alarm).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(built.stateful.queues.deadLetters[name]), 'QueueName'] } }],
      });
    }
  });

  it('every alarm notifies the alarm topic, whose ARN is an output for the deployer to subscribe to', () => {
    const topic = idOf(built.stateful.queues.alarmTopic);
    const alarms = resourcesOf(stateful, 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThanOrEqual(QUEUES.length);
    for (const [id, a] of alarms) expect(a.Properties.AlarmActions, id).toEqual([{ Ref: topic }]);
    expect(stateful.Resources[topic].Properties.KmsMasterKeyId).toBeDefined();
    expect(Object.values(stateful.Outputs ?? {}).some((o) => JSON.stringify((o as { Value: unknown }).Value) === JSON.stringify({ Ref: topic }))).toBe(true);
  });

  it('each queue triggers its function with partial batch failures', () => {
    const consumers = QUEUES.filter(([, s]) => s.consumer);
    const mappings = resourcesOf(service, 'AWS::Lambda::EventSourceMapping').map(([, m]) => m.Properties as Json);
    expect(mappings).toHaveLength(consumers.length);
    for (const [name, spec] of consumers) {
      expect(mappings, name).toContainEqual(
        expect.objectContaining({
          EventSourceArn: importOf(EXPORT_KEYS.queueArn(name)),
          FunctionName: { Ref: fnId(spec.consumer!.fn) },
          BatchSize: spec.consumer!.batchSize,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        }),
      );
    }
    // Every queue has a consumer: approval tasks live in the table's inbox, not on a queue.
    expect(consumers).toHaveLength(QUEUES.length);
  });
});

describe('buckets and CDN', () => {
  const bucketPolicy = (bucketId: string): Statement[] =>
    resourcesOf(stateful, 'AWS::S3::BucketPolicy')
      .filter(([, p]) => p.Properties.Bucket.Ref === bucketId)
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);

  it('every bucket blocks all public access, is encrypted and denies requests without TLS', () => {
    const buckets = resourcesOf(stateful, 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(3); // drafts, site, access logs
    for (const [id, b] of buckets) {
      expect(b.Properties.PublicAccessBlockConfiguration, id).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(b.Properties.BucketEncryption, id).toBeDefined();
      const deny = bucketPolicy(id).find((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false');
      expect(deny, id).toMatchObject({ Action: 's3:*', Principal: { AWS: '*' } });
      expect(b.DeletionPolicy, id).toBe('Retain');
    }
  });

  it('drafts and site are versioned and log access; only the drafts bucket takes browser uploads', () => {
    for (const name of ['drafts', 'site'] as const) {
      const p = stateful.Resources[idOf(built.stateful.buckets.byName[name])].Properties;
      expect(p.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(p.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: idOf(built.stateful.buckets.logs) });
    }
    const drafts = stateful.Resources[idOf(built.stateful.buckets.byName.drafts)].Properties;
    expect(drafts.CorsConfiguration.CorsRules[0].AllowedMethods).toEqual(['POST', 'PUT', 'GET']);
    expect(stateful.Resources[idOf(built.stateful.buckets.byName.site)].Properties.CorsConfiguration).toBeUndefined();
  });

  it('the site bucket policy lets only the CloudFront distribution read, and nothing is public', () => {
    const siteId = idOf(built.stateful.buckets.byName.site);
    const allowsOnSite = bucketPolicy(siteId).filter((s) => s.Effect === 'Allow');
    expect(allowsOnSite).toHaveLength(1);
    expect(allowsOnSite[0]).toMatchObject({
      Action: 's3:GetObject',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
    });
    expect(JSON.stringify(allowsOnSite[0]!.Condition)).toContain(`"Ref":"${idOf(built.stateful.site.distribution)}"`);
    for (const [, p] of resourcesOf(stateful, 'AWS::S3::BucketPolicy')) {
      for (const s of p.Properties.PolicyDocument.Statement as Statement[]) {
        if (s.Effect !== 'Allow') continue;
        expect(JSON.stringify(s.Principal)).not.toMatch(/"\*"/);
      }
    }
  });

  it('the distribution reaches the bucket through Origin Access Control, over HTTPS, with security headers and logs', () => {
    const [oacId, oac] = resourcesOf(stateful, 'AWS::CloudFront::OriginAccessControl')[0]!;
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    const config = stateful.Resources[idOf(built.stateful.site.distribution)].Properties.DistributionConfig;
    expect(config.Origins).toHaveLength(1);
    expect(config.Origins[0]).toMatchObject({
      DomainName: { 'Fn::GetAtt': [idOf(built.stateful.buckets.byName.site), 'RegionalDomainName'] },
      OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    expect(config).toMatchObject({ DefaultRootObject: 'index.html', Logging: { Prefix: 'cloudfront/' } });
    expect(config.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'] });
    const policyOf = (behaviour: Json) => stateful.Resources[behaviour.ResponseHeadersPolicyId.Ref].Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig as Json;
    expect(resourcesOf(stateful, 'AWS::CloudFront::ResponseHeadersPolicy')).toHaveLength(Object.keys(topology.cdn.headers).length);
    const site = policyOf(config.DefaultCacheBehavior);
    expect(Object.keys(site)).toEqual(expect.arrayContaining(['StrictTransportSecurity', 'ContentTypeOptions', 'FrameOptions', 'ContentSecurityPolicy']));
    expect(site.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: topology.cdn.hstsSeconds, IncludeSubdomains: true, Override: true });
    // Pages: no scripts at all; the search form on every page may submit to the site itself.
    expect(site.ContentSecurityPolicy.ContentSecurityPolicy).toBe(topology.cdn.headers.site.contentSecurityPolicy);
    expect(site.ContentSecurityPolicy.ContentSecurityPolicy).not.toContain('script-src');
    expect(site.ContentSecurityPolicy.ContentSecurityPolicy).toContain("form-action 'self'");
    // The behaviours, in the topology's order, each with its policy (the local CDN applies the same list).
    expect(config.CacheBehaviors.map((b: Json) => b.PathPattern)).toEqual(topology.cdn.behaviours.map((b) => b.pathPattern));
    for (const b of config.CacheBehaviors as Json[]) {
      expect(b, b.PathPattern).toMatchObject({
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD'],
        TargetOriginId: config.DefaultCacheBehavior.TargetOriginId,
        CachePolicyId: config.DefaultCacheBehavior.CachePolicyId,
      });
      const spec = topology.cdn.headers[topology.cdn.behaviours.find((x) => x.pathPattern === b.PathPattern)!.headers];
      expect(policyOf(b).ContentSecurityPolicy.ContentSecurityPolicy, b.PathPattern).toBe(spec.contentSecurityPolicy);
    }
    // The web apps (app/*) get their own CSP: same-origin scripts, the API over HTTPS, nothing inline.
    const app = policyOf(config.CacheBehaviors.find((b: Json) => b.PathPattern === `${topology.web.prefix}*`));
    expect(app.ContentSecurityPolicy.ContentSecurityPolicy).toContain("script-src 'self';");
    expect(app.ContentSecurityPolicy.ContentSecurityPolicy).not.toContain('unsafe-eval');
    // The search page and its pagefind bundle: same-origin scripts and WebAssembly, fetches to the site only.
    for (const pattern of ['search.html', 'search/*']) {
      const search = policyOf(config.CacheBehaviors.find((b: Json) => b.PathPattern === pattern)).ContentSecurityPolicy.ContentSecurityPolicy as string;
      expect(search, pattern).toContain("script-src 'self' 'wasm-unsafe-eval';");
      expect(search, pattern).toContain("connect-src 'self';");
      expect(search, pattern).not.toMatch(/'unsafe-eval'|'unsafe-inline'[^;]*;.*script|https:/);
    }
  });

  it('uploads under the topology prefix notify the extract queue, which accepts them from that bucket only', () => {
    for (const n of topology.notifications) {
      const [, cr] = resourcesOf(stateful, 'Custom::S3BucketNotifications').find(([, r]) => r.Properties.BucketName.Ref === idOf(built.stateful.buckets.byName[n.bucket]))!;
      const queueId = idOf(built.stateful.queues.byName[n.queue]);
      expect(cr.Properties.NotificationConfiguration.QueueConfigurations).toEqual([
        { Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: n.prefix }] } }, QueueArn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      ]);
      const policy = resourcesOf(stateful, 'AWS::SQS::QueuePolicy').find(([, p]) => (p.Properties.Queues as Json[]).some((q) => q.Ref === queueId))!;
      const fromS3 = (policy[1].Properties.PolicyDocument.Statement as Statement[]).find((s) => s.Effect === 'Allow');
      expect(fromS3).toMatchObject({
        Principal: { Service: 's3.amazonaws.com' },
        Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [idOf(built.stateful.buckets.byName[n.bucket]), 'Arn'] } } },
      });
      expect(actionsOf(fromS3!)).toContain('sqs:SendMessage');
    }
  });
});

describe('HTTP API', () => {
  it('has exactly the topology routes, each on its function and behind the Cognito JWT authorizer (the public routes open to anyone)', () => {
    const routes = resourcesOf(service, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties as Json);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(ROUTE_LIST.map((r) => `${r.method} ${r.path}`).sort());
    const authorizers = resourcesOf(service, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0]!;
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [importOf(EXPORT_KEYS.userPoolClientId)] },
    });
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toContain('https://cognito-idp.');
    // The public's applications (依申请公开) need no account, and only they.
    expect(ROUTE_LIST.filter((r) => r.public).map((r) => r.name)).toEqual(['submitApplication', 'trackApplication', 'applicantStep', 'listRequestable']);
    for (const route of ROUTE_LIST) {
      const r = routes.find((x) => x.RouteKey === `${route.method} ${route.path}`)!;
      if (route.public) {
        expect(r.AuthorizationType ?? 'NONE', route.path).toBe('NONE');
        expect(r.AuthorizerId, route.path).toBeUndefined();
      } else expect(r).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
      const integrationId = (r.Target['Fn::Join'][1] as unknown[])[1] as Json;
      const integration = service.Resources[integrationId.Ref].Properties;
      expect(integration.IntegrationUri, route.path).toEqual({ 'Fn::GetAtt': [fnId(route.fn), 'Arn'] });
    }
  });

  it('logs access and throttles on its stage; CORS allows the site', () => {
    const [, stage] = resourcesOf(service, 'AWS::ApiGatewayV2::Stage')[0]!;
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: expect.any(Number), ThrottlingBurstLimit: expect.any(Number) },
    });
    expect(stage.Properties.AccessLogSettings.Format).toContain('$context.requestId');
    const [, api] = resourcesOf(service, 'AWS::ApiGatewayV2::Api')[0]!;
    expect(api.Properties.CorsConfiguration.AllowOrigins).toContainEqual(importOf(EXPORT_KEYS.siteUrl));
  });

  it('the user pool has the role groups, the unit attribute, MFA and a strong password policy', () => {
    const groups = resourcesOf(stateful, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties.GroupName);
    expect(groups.sort()).toEqual(['admin', 'approver', 'drafter', 'infocenter']);
    const [, pool] = resourcesOf(stateful, 'AWS::Cognito::UserPool')[0]!;
    expect(pool.Properties).toMatchObject({
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: { PasswordPolicy: { MinimumLength: 12 } },
    });
    expect(pool.Properties.Schema).toContainEqual(expect.objectContaining({ Name: 'unit', AttributeDataType: 'String' }));
    const [, client] = resourcesOf(stateful, 'AWS::Cognito::UserPoolClient')[0]!;
    expect(client.Properties.WriteAttributes).not.toContain('custom:unit');
    expect(client.Properties.GenerateSecret).toBe(false);
  });
});

describe('schedules', () => {
  // CDK writes a rate in the largest whole unit: 5 minutes, 1 day (the daily re-review).
  const rateOf = (m: number) =>
    m % 1440 === 0 ? `rate(${m / 1440} day${m === 1440 ? '' : 's'})` : m % 60 === 0 ? `rate(${m / 60} hour${m === 60 ? '' : 's'})` : `rate(${m} minutes)`;
  it('each topology schedule is an EventBridge rule that runs its function', () => {
    const rules = resourcesOf(service, 'AWS::Events::Rule').map(([, r]) => r.Properties as Json);
    expect(rules).toHaveLength(topology.schedules.length);
    for (const s of topology.schedules) {
      expect(rules).toContainEqual(
        expect.objectContaining({
          ScheduleExpression: rateOf(s.everyMinutes),
          State: 'ENABLED',
          Targets: [expect.objectContaining({ Arn: { 'Fn::GetAtt': [fnId(s.fn), 'Arn'] } })],
        }),
      );
    }
  });
});

describe('least privilege', () => {
  const sends = (a: QueueAccess | undefined) => a === 'send' || a === 'send+consume';
  const consumes = (a: QueueAccess | undefined, fn: FunctionName, q: QueueName) => a === 'consume' || a === 'send+consume' || (topology.queues[q] as QueueSpec).consumer?.fn === fn;
  /** The object resources (JSON) a function's declared grants on a bucket give an action kind. */
  const declared = (spec: FunctionSpec, b: BucketName, kind: (a: import('#shared/topology').BucketAccess) => boolean) =>
    bucketGrants(spec.buckets?.[b])
      .filter((g) => kind(g.access))
      .map((g) => bucketObjects(b, g.prefix))
      .sort();
  /** The resources a function is allowed `action` on, among one bucket's objects. */
  const granted = (fn: FunctionName, action: string, b: BucketName) =>
    [
      ...new Set(
        grantsOf(fn)
          .filter((s) => actionsOf(s).includes(action))
          .flatMap(resourcesOfStatement)
          .filter((r) => r.includes(EXPORT_KEYS.bucketArn(b)) && r.includes('/')),
      ),
    ].sort();

  it('S3, SQS and DynamoDB grants are exactly what topology.ts declares', () => {
    for (const [fn, spec] of FUNCTIONS) {
      for (const b of Object.keys(topology.buckets) as BucketName[]) {
        expect(granted(fn, 's3:GetObject', b), `${fn} get ${b}`).toEqual(declared(spec, b, readsBucket));
        expect(granted(fn, 's3:PutObject', b), `${fn} put ${b}`).toEqual(declared(spec, b, writesBucket));
        expect(granted(fn, 's3:DeleteObject', b), `${fn} delete ${b}`).toEqual(declared(spec, b, deletesInBucket));
        // Listing: the whole bucket for a whole-bucket read, else only under the prefix (s3:prefix condition).
        const lists = grantsOf(fn).filter((s) => actionsOf(s).includes('s3:ListBucket') && resourcesOfStatement(s).includes(bucketItself(b)));
        const reads = bucketGrants(spec.buckets?.[b]).filter((g) => readsBucket(g.access));
        expect(lists.map((s) => s.Condition?.StringLike?.['s3:prefix'] ?? null).sort(), `${fn} list ${b}`).toEqual(reads.map((g) => (g.prefix ? [`${g.prefix}*`] : null)).sort());
      }
      for (const q of Object.keys(topology.queues) as QueueName[]) {
        const access = spec.queues?.[q];
        expect(allows(fn, 'sqs:SendMessage', queueArn(q)), `${fn} send ${q}`).toBe(sends(access));
        expect(allows(fn, 'sqs:ReceiveMessage', queueArn(q)), `${fn} receive ${q}`).toBe(consumes(access, fn, q));
      }
      expect(allows(fn, 'dynamodb:GetItem', tableArn()), `${fn} table read`).toBe(spec.table !== undefined);
      expect(allows(fn, 'dynamodb:PutItem', tableArn()), `${fn} table write`).toBe(spec.table === 'readwrite');
    }
  });

  it('no function may use a wildcard action or act on every resource; only declared deleters delete, and never a version', () => {
    for (const [fn, spec] of FUNCTIONS) {
      const mayDelete = Object.values(spec.buckets ?? {}).some((g) => bucketGrants(g).some((x) => deletesInBucket(x.access)));
      for (const s of grantsOf(fn)) {
        expect(
          actionsOf(s).filter((a) => a.includes('*')),
          fn,
        ).toEqual([]);
        const mayPurge = Object.values(spec.buckets ?? {}).some((g) => bucketGrants(g).some((x) => purgesVersions(x.access)));
        expect(
          actionsOf(s).filter((a) => /^s3:Delete/.test(a) && !((a === 's3:DeleteObject' && mayDelete) || (a === 's3:DeleteObjectVersion' && mayPurge))),
          fn,
        ).toEqual([]);
        // Tracing alone acts on every resource: X-Ray's two write actions support no other (and nothing else is granted with them).
        if (resourcesOfStatement(s).includes('"*"')) expect(actionsOf(s).sort(), fn).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
      }
      expect(
        grantsOf(fn).some((s) => actionsOf(s).includes('xray:PutTraceSegments')),
        `${fn} traces`,
      ).toBe(true);
    }
    // The site renderer turns pages over (withdrawals, the search bundle); the check stage alone
    // removes a classified draft's bytes, every version, and only under the draft prefixes.
    expect(FUNCTIONS.filter(([fn]) => grantsOf(fn).some((s) => actionsOf(s).includes('s3:DeleteObject'))).map(([fn]) => fn)).toEqual(['check-draft', 'render-site']);
    expect(granted('render-site', 's3:DeleteObject', 'drafts')).toEqual([]);
    expect(FUNCTIONS.filter(([fn]) => grantsOf(fn).some((s) => actionsOf(s).includes('s3:DeleteObjectVersion'))).map(([fn]) => fn)).toEqual(['check-draft']);
    expect(bucketGrants(topology.functions['check-draft'].buckets?.drafts).map((g) => [g.access, g.prefix])).toEqual([
      ['read+purge', KEYS.uploads],
      ['read+purge', KEYS.extracted],
    ]);
  });

  it('CDN invalidation: exactly the functions that declare it, on exactly the site distribution', () => {
    const distributionArn = (s: Statement) => JSON.stringify(s.Resource);
    const expectedArn = JSON.stringify({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', importOf(EXPORT_KEYS.siteDistributionId)]],
    });
    for (const [fn, spec] of FUNCTIONS) {
      const cf = grantsOf(fn).filter((s) => actionsOf(s).some((a) => a.startsWith('cloudfront:')));
      if (spec.cdn === 'invalidate') {
        expect(cf, fn).toHaveLength(1);
        expect(actionsOf(cf[0]!)).toEqual(['cloudfront:CreateInvalidation']);
        expect(distributionArn(cf[0]!)).toBe(expectedArn);
      } else {
        expect(cf, fn).toEqual([]);
      }
    }
    expect(FUNCTIONS.filter(([, s]) => s.cdn).map(([fn]) => fn)).toEqual(['render-site']);
  });

  it('withdrawal: the API function changes the draft and asks the site consumer, and touches no bucket', () => {
    const services = new Set(
      grantsOf('withdraw-document')
        .flatMap(actionsOf)
        .map((a) => a.split(':')[0]),
    );
    expect(services).toEqual(new Set(['logs', 'xray', 'dynamodb', 'sqs']));
    expect(allows('withdraw-document', 'sqs:SendMessage', queueArn('site'))).toBe(true);
    expect(ROUTE_LIST.find((r) => r.fn === 'withdraw-document')).toMatchObject({ method: 'POST', path: '/documents/{id}/withdrawal', roles: ['approver', 'infocenter'] });
  });

  it('validity change: the API function records 废止 / 修订 and asks the site consumer, and touches no bucket', () => {
    const services = new Set(
      grantsOf('change-validity')
        .flatMap(actionsOf)
        .map((a) => a.split(':')[0]),
    );
    expect(services).toEqual(new Set(['logs', 'xray', 'dynamodb', 'sqs']));
    expect(allows('change-validity', 'sqs:SendMessage', queueArn('site'))).toBe(true);
    expect(allows('change-validity', 'sqs:SendMessage', queueArn('publish'))).toBe(false);
    expect(ROUTE_LIST.find((r) => r.fn === 'change-validity')).toMatchObject({ method: 'POST', path: '/documents/{id}/validity', roles: ['approver'] });
  });

  it('get-draft has no S3 or SQS permission at all', () => {
    const services = new Set(
      grantsOf('get-draft')
        .flatMap(actionsOf)
        .map((a) => a.split(':')[0]),
    );
    expect(services).toEqual(new Set(['logs', 'xray', 'dynamodb']));
  });

  it('only the two publishing functions can write the site bucket, and neither can read the drafts of others', () => {
    const writers = FUNCTIONS.map(([fn]) => fn).filter((fn) =>
      grantsOf(fn).some((s) => actionsOf(s).some((a) => a.startsWith('s3:Put')) && resourcesOfStatement(s).includes(bucketObjects('site'))),
    );
    // publish-document writes a document's own pages; render-site the index pages.
    expect(writers.sort()).toEqual(['publish-document', 'render-site']);
    // render-site reads and writes only the search entries and state of the drafts bucket, never the drafts.
    expect(allows('render-site', 's3:GetObject', bucketObjects('drafts'))).toBe(false);
    expect(granted('render-site', 's3:GetObject', 'drafts')).toEqual([bucketObjects('drafts', 'search/')]);
    // publish-document writes the drafts bucket only under search/ (its search entries).
    expect(granted('publish-document', 's3:PutObject', 'drafts')).toEqual([bucketObjects('drafts', 'search/')]);
  });

  it("the web apps' and about pages' deployments (CDK's BucketDeployment function) can write and prune only app/* and about/* of the site bucket", () => {
    const handler = service.Resources[deploymentHandlerId()];
    expect(handler.Type).toBe('AWS::Lambda::Function');
    const roleId = handler.Properties.Role['Fn::GetAtt'][0] as string;
    expect(roleId).toBe(idOf(built.service.web.deployment.handlerRole));
    expect(roleId).toBe(idOf(built.service.about.deployment.handlerRole));
    const grants = grantsOfRole(roleId);
    const prefixObjects = (prefix: string) => JSON.stringify({ 'Fn::Join': ['', [importOf(EXPORT_KEYS.bucketArn('site')), `/${prefix}*`]] });
    const allowed = [prefixObjects(topology.web.prefix), prefixObjects('about/')];
    const writes = grants.filter((s) => actionsOf(s).some((a) => /^s3:(Put|Delete|Abort)/.test(a)));
    expect(writes.length).toBeGreaterThan(0);
    // Object writes reach only app/* and about/*; the bucket ARN itself is there for the
    // bucket-level actions (list, location), on which object actions grant nothing.
    expect([...new Set(writes.flatMap(resourcesOfStatement).filter((r) => r !== bucketItself('site')))].sort()).toEqual(allowed.sort());
    // Nothing else: no table, no queue, no drafts bucket, no "*".
    for (const s of grants) {
      expect(
        actionsOf(s).every((a) => /^(s3|logs):/.test(a)),
        JSON.stringify(s),
      ).toBe(true);
      expect(resourcesOfStatement(s)).not.toContain('"*"');
      expect(JSON.stringify(s.Resource)).not.toContain(EXPORT_KEYS.bucketArn('drafts'));
      expect(resourcesOfStatement(s)).not.toContain(bucketObjects('site'));
    }
    const deployments = resourcesOf(service, 'Custom::CDKBucketDeployment').map(([, d]) => d.Properties as Json);
    expect(deployments).toHaveLength(2);
    // The web apps: web/ (without the developer notes) and app/config.json naming this stack's API, under app/.
    const web = deployments.find((d) => d.DestinationBucketKeyPrefix === topology.web.prefix)!;
    expect(web).toMatchObject({ DestinationBucketName: importOf(EXPORT_KEYS.bucketName('site')), Prune: true });
    expect(web.SourceObjectKeys).toHaveLength(2);
    // config.json's apiUrl is filled in at deploy time from this stack's HTTP API.
    const [apiId] = resourcesOf(service, 'AWS::ApiGatewayV2::Api')[0]!;
    expect(JSON.stringify(web.SourceMarkers)).toContain(`{"Ref":"${apiId}"}`);
    // The about pages (指南, 制度): rendered from config/site/*.md, under about/ and pruned only there.
    const about = deployments.find((d) => d.DestinationBucketKeyPrefix === 'about/')!;
    expect(about).toMatchObject({ DestinationBucketName: importOf(EXPORT_KEYS.bucketName('site')), Prune: true });
    expect(about.SourceObjectKeys).toHaveLength(2);
    expect(built.service.about.keys).toEqual(['about/guide.html', 'about/system.html']);
  });

  it('check-draft can read the drafts bucket but not write it (it may only remove a classified draft, every version)', () => {
    expect(allows('check-draft', 's3:GetObject', bucketObjects('drafts', KEYS.extracted))).toBe(true);
    expect(allows('check-draft', 's3:DeleteObjectVersion', bucketObjects('drafts', KEYS.uploads))).toBe(true);
    expect(allows('check-draft', 's3:GetObject', bucketObjects('drafts', KEYS.search))).toBe(false);
    expect(grantsOf('check-draft').some((s) => actionsOf(s).some((a) => a.startsWith('s3:Put')))).toBe(false);
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  /** Rule ids acknowledged on each construct path, with their reasons. */
  function acknowledgements(): { path: string; id: string; reason: string }[] {
    return built.app.node
      .findAll()
      .flatMap((c) =>
        c.node.metadata
          .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([k, reason]) => ({ path: c.node.path, id: k.replace(/^annotation::/i, ''), reason }))),
      );
  }

  it('reports nothing that is not acknowledged, errors or warnings', () => {
    // synth in beforeAll would have thrown on an unacknowledged error; warnings are checked here.
    const report = new AwsSolutionsChecks(built.app).validateScope(built.app);
    expect(report.violations.map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    const written = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: { violations?: unknown[] }[] };
    expect(written.pluginReports.flatMap((r) => r.violations ?? [])).toEqual([]);
  });

  it('every acknowledgement has a reason and matches a finding that really occurs there', () => {
    const acks = acknowledgements();
    expect(acks.length).toBeGreaterThan(0);
    const raw = new AwsSolutionsChecks(built.app);
    // The unacknowledged findings: what cdk-nag would report with no acknowledgement at all.
    (raw as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
    const findings = raw.validateScope(built.app).violations.flatMap((v) => v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })));
    for (const ack of acks) {
      expect(ack.reason.length, `${ack.id} @ ${ack.path}`).toBeGreaterThan(30);
      const stale = !findings.some((f) => f.id === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`)));
      expect(stale, `stale acknowledgement ${ack.id} @ ${ack.path}`).toBe(false);
    }
  });
});

describe('template basics', () => {
  it('the stateful stack exports what the service stack imports, and nothing else crosses', () => {
    const exported = new Set(
      Object.values<Json>(stateful.Outputs)
        .map((o) => o.Export?.Name)
        .filter(Boolean),
    );
    const imported = new Set([...JSON.stringify(service).matchAll(/"Fn::ImportValue":"([^"]+)"/g)].map((m) => m[1]));
    for (const name of imported) expect(exported, name).toContain(name);
    expect(JSON.stringify(service)).not.toContain('Fn::GetStackOutput');
    expect(Template.fromJSON(service).findOutputs('ApiUrl')).toBeDefined();
  });
});
