import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { Stack } from 'aws-cdk-lib';
import {
  functionEntry,
  functionEnvironment,
  bucketGrants,
  deletesInBucket,
  purgesVersions,
  readsBucket,
  TABLE,
  writesBucket,
  type BucketAccess,
  type BucketGrant,
  type BucketName,
  type DeploymentValues,
  type FunctionName,
  type FunctionSpec,
  type QueueAccess,
  type QueueName,
  type TableAccess,
} from '#shared/topology';
import type { StatefulResources } from './contract.ts';
import { acknowledge, nagResource } from './nag.ts';
import { shipNativeModules } from './native-modules.ts';
import { bundlesPdfjs } from './bundling/pdfjs-needed.ts';

export interface GongkaiFunctionProps {
  readonly name: FunctionName;
  readonly spec: FunctionSpec;
  /** Repository root: the entry is functions/<name>.ts, assets come from its node_modules. */
  readonly projectRoot: string;
  readonly logRetention: RetentionDays;
}

const mapValues = <K extends string, A, B>(o: Readonly<Record<K, A>>, f: (a: A) => B): Record<K, B> =>
  Object.fromEntries(Object.entries(o).map(([k, a]) => [k, f(a as A)])) as Record<K, B>;

/** Where a bundled function finds its files. */
const TASK_ROOT = '/var/task';

// Some dependencies (mammoth, pdf.js' optional loads) are CommonJS and call require(); an ES
// module has none, so the bundle defines it first.
const ESM_REQUIRE_BANNER = "import { createRequire as __gkCreateRequire } from 'node:module'; const require = __gkCreateRequire(import.meta.url);";

const PDFJS_SHIM = fileURLToPath(new URL('./bundling/pdfjs-node-shim.ts', import.meta.url));

/**
 * Packages replaced in every bundle (esbuild `alias`). brotli.js' decoder, which fontkit imports
 * for WOFF2 fonts, by Node's own Brotli: its dictionary is 464 KB of JavaScript that each
 * bundle with pdfkit in it parsed at every cold start (issue 17.5; bundling/brotli-decompress.ts).
 */
const ALIAS = {
  'brotli/decompress.js': fileURLToPath(new URL('./bundling/brotli-decompress.ts', import.meta.url)),
} as const;

/**
 * How a function is bundled (the options below and the bench of its import time,
 * bench/cold-start.ts, share them). No `--enable-source-maps` at run time: Node would parse
 * the whole map at every cold start (issue 17.5); the map ships beside the bundle for
 * reading a minified stack offline, and names are kept so traces stay legible without it.
 */
export const BUNDLING = {
  esbuild: {
    bundle: true,
    platform: 'node',
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    keepNames: true,
    sourcemap: true,
    sourcesContent: false,
    alias: ALIAS,
  },
  pdfjsShim: PDFJS_SHIM,
} as const;

/**
 * One Lambda function of the topology with the project's defaults — Node.js 24 on arm64
 * (x86_64 where the topology says a native binary needs it),
 * an ES module bundle made by the local esbuild (no Docker), its own log group and its own
 * role that starts with nothing but writing to that log group — and binding helpers that
 * grant one declared access and set the environment variable that names the resource, in
 * one call, so a function can only reach what topology.ts says it uses.
 */
export class GongkaiFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly spec: FunctionSpec;
  readonly name: FunctionName;

  constructor(scope: Construct, id: string, props: GongkaiFunctionProps) {
    super(scope, id);
    const { name, spec, projectRoot } = props;
    this.spec = spec;
    this.name = name;

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Gongkai ${name}: exactly the access topology.ts declares`,
    });
    this.logGroup.grantWrite(this.role);

    const assets = (spec.assets ?? []).map((a) => {
      const from = path.join(projectRoot, 'node_modules', a.from);
      if (!existsSync(from)) throw new Error(`${name}: asset ${a.from} not found at ${from} (is node_modules installed?)`);
      return a;
    });
    // Functions that ship pdf.js' CMaps are the ones that run pdf.js: their workers get its Node
    // shim, and so does the handler's bundle where pdf.js is in it (bundling/pdfjs-needed.ts).
    const usesPdfjs = assets.some((a) => a.from.startsWith('pdfjs-dist/'));
    const entry = path.join(projectRoot, functionEntry(name));
    // (Not asked when this stack is not bundled, as in the infrastructure tests: nothing is built then.)
    const handlerShim = usesPdfjs && (!Stack.of(this).bundlingRequired || bundlesPdfjs(entry, { mainFields: BUNDLING.esbuild.mainFields, external: spec.nativeModules ?? [] }));

    this.fn = new NodejsFunction(this, 'Handler', {
      entry,
      handler: 'handler',
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      description: spec.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: spec.architecture === 'x86_64' ? Architecture.X86_64 : Architecture.ARM_64,
      memorySize: spec.memoryMB,
      timeout: Duration.seconds(spec.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      // X-Ray: every invocation traced (the role gets xray:PutTraceSegments / PutTelemetryRecords).
      tracing: Tracing.ACTIVE,
      bundling: {
        format: OutputFormat.ESM,
        mainFields: [...BUNDLING.esbuild.mainFields],
        banner: BUNDLING.esbuild.banner.js,
        minify: BUNDLING.esbuild.minify,
        keepNames: BUNDLING.esbuild.keepNames,
        sourceMap: BUNDLING.esbuild.sourcemap,
        sourcesContent: BUNDLING.esbuild.sourcesContent,
        // Ship the pinned SDK v3 the handlers were tested with against the emulators, rather
        // than whatever the runtime carries (it need not include s3-presigned-post).
        bundleAwsSDK: true,
        // Nothing is external. The native @napi-rs/canvas (an optional pdf.js dependency) is
        // not bundled either: pdf.js loads it through createRequire at run time, which esbuild
        // does not follow, and the shim supplies the one piece of it text extraction needs.
        // (Listing it as external would also externalise the shim's @napi-rs/canvas/geometry.js.)
        externalModules: [...(spec.nativeModules ?? [])],
        ...(handlerShim ? { inject: [PDFJS_SHIM] } : {}),
        esbuildArgs: { '--alias': Object.entries(ALIAS).map(([from, to]) => `${from}=${to}`) },
        logLevel: LogLevel.WARNING,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => [
            ...assets.map((a) => `cp -r "${path.join(inputDir, 'node_modules', a.from)}" "${path.join(outputDir, a.to)}"`),
            // Native addons (topology `nativeModules`): shipped in node_modules/ beside the bundle (infra/cdk/native-modules.ts).
            ...shipNativeModules(projectRoot, inputDir, spec.nativeModules ?? [], outputDir, spec.architecture === 'x86_64' ? 'x64' : 'arm64'),
            // Worker threads: bundled as the handler is (same banner and shim), beside it.
            ...(spec.workers ?? []).map((w) =>
              [
                `"${path.join(inputDir, 'node_modules', '.bin', 'esbuild')}"`,
                `"${path.join(inputDir, w.entry)}"`,
                '--bundle --platform=node --format=esm --target=node24 --main-fields=module,main --minify --keep-names --sourcemap',
                `--banner:js="${ESM_REQUIRE_BANNER}"`,
                ...(usesPdfjs ? [`--inject:"${PDFJS_SHIM}"`] : []),
                ...Object.entries(ALIAS).map(([from, to]) => `--alias:${from}="${to}"`),
                ...(spec.nativeModules ?? []).flatMap((m) => [`--external:${m}`, `--external:${m}/*`]),
                `--outfile="${path.join(outputDir, w.out)}"`,
                '--log-level=warning',
              ].join(' '),
            ),
          ],
        },
      },
    });
    acknowledge(
      this,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray tracing (Tracing.ACTIVE): xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so AWS requires Resource *.',
    );
  }

  /** Read or read-write data access to the table. */
  bindTable(table: ITable, access: TableAccess): this {
    if (access === 'readwrite') table.grantReadWriteData(this.role);
    else table.grantReadData(this.role);
    acknowledge(
      this,
      `AwsSolutions-IAM5[Resource::${nagResource(this, `${table.tableArn}/index/*`)}]`,
      `Queries the table's own global secondary indexes (${Object.keys(TABLE.indexes).join(', ')}); CDK grants them as <table>/index/*.`,
    );
    return this;
  }

  /**
   * Object access to a bucket. 'read' is s3:GetObject plus
   * s3:ListBucket (without it, HEAD on a key not uploaded yet answers 403 instead of 404);
   * 'write' is s3:PutObject (also what a presigned POST is signed with); only
   * 'readwrite+delete' adds s3:DeleteObject (a delete marker in the versioned buckets; never
   * s3:DeleteObjectVersion); 'read+purge' reads and deletes every version (s3:DeleteObject,
   * s3:DeleteObjectVersion, s3:ListBucketVersions) and never writes. A grant with a prefix reaches only the objects under it, and
   * lists only under it.
   */
  bindBucket(name: BucketName, bucket: IBucket, access: BucketAccess, prefix = ''): this {
    const objects = bucket.arnForObjects(`${prefix}*`);
    // A listing of the bucket, confined to the prefix.
    const listing = (action: string) =>
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: [action], resources: [bucket.bucketArn], ...(prefix ? { conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } } } : {}) }),
      );
    if (readsBucket(access)) {
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] }));
      listing('s3:ListBucket');
    }
    if (writesBucket(access)) {
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [objects] }));
    }
    if (deletesInBucket(access)) {
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:DeleteObject'], resources: [objects] }));
    }
    if (purgesVersions(access)) {
      // Every version of the objects under the prefix (a classified draft's bytes leave the versioned bucket).
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:DeleteObjectVersion'], resources: [objects] }));
      listing('s3:ListBucketVersions');
    }
    acknowledge(
      this,
      `AwsSolutions-IAM5[Resource::${nagResource(this, objects)}]`,
      prefix
        ? `Object-level ${access} on the ${name} bucket confined to ${prefix} as declared in topology.ts; the objects under it are per document, so the grant covers that prefix.`
        : `Object-level ${access} on the ${name} bucket as declared in topology.ts; object keys are per draft, so the grant covers the bucket's objects.`,
    );
    return this;
  }

  /**
   * cloudfront:CreateInvalidation on exactly the site distribution.
   * (CloudFront ARNs carry no region: arn:<partition>:cloudfront::<account>:distribution/<id>.)
   */
  bindCdn(distributionId: string): this {
    const stack = Stack.of(this);
    const arn = stack.formatArn({ service: 'cloudfront', region: '', resource: 'distribution', resourceName: distributionId });
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['cloudfront:CreateInvalidation'], resources: [arn] }));
    return this;
  }

  /** Send and/or consume on a queue. */
  bindQueue(name: QueueName, queue: IQueue, access: QueueAccess): this {
    if (access === 'send' || access === 'send+consume') queue.grantSendMessages(this.role);
    if (access === 'consume' || access === 'send+consume') queue.grantConsumeMessages(this.role);
    return this;
  }

  /** Everything the function's topology entry declares, and the environment naming it (functionEnvironment). */
  bindAll(resources: StatefulResources, uploads: DeploymentValues['uploads']): this {
    const { table, buckets = {}, queues = {}, cdn } = this.spec;
    if (table) this.bindTable(resources.table, table);
    for (const [name, declared] of Object.entries(buckets) as [BucketName, BucketGrant | readonly BucketGrant[]][]) {
      for (const g of bucketGrants(declared)) this.bindBucket(name, resources.buckets[name], g.access, g.prefix);
    }
    for (const [name, access] of Object.entries(queues) as [QueueName, QueueAccess][]) this.bindQueue(name, resources.queues[name], access);
    if (cdn === 'invalidate') this.bindCdn(resources.siteDistributionId);
    const environment = functionEnvironment(this.name, {
      table: resources.table.tableName,
      buckets: mapValues(resources.buckets, (b) => b.bucketName),
      queueUrls: mapValues(resources.queues, (q) => q.queueUrl),
      cdn: { distributionId: resources.siteDistributionId },
      siteUrl: resources.siteUrl,
      uploads,
      assetDir: (a) => `${TASK_ROOT}/${a.to}/`,
    });
    for (const [k, v] of Object.entries(environment)) this.setEnvironment(k, v);
    return this;
  }

  /** Runs the function on a queue's messages; failed records go back one by one (sqsStage reports them). */
  consume(queue: IQueue, batchSize: number): this {
    this.fn.addEventSource(new SqsEventSource(queue, { batchSize, reportBatchItemFailures: true }));
    return this;
  }

  setEnvironment(name: string, value: string): this {
    this.fn.addEnvironment(name, value);
    return this;
  }
}
