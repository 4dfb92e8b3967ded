import path from 'node:path';
import { DefaultStackSynthesizer, Duration, Stack } from 'aws-cdk-lib';
import { BucketDeployment, CacheControl, Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { renderAboutPages } from '#shared/render/about-pages';
import { KEYS, topology } from '#shared/topology';
import { acknowledge, nagResource } from './nag.ts';

interface PrefixDeploymentProps {
  readonly bucket: IBucket;
  readonly prefix: string;
  readonly sources: ISource[];
  readonly cacheControl: CacheControl[];
  /** What is deployed, for the cdk-nag reasons. */
  readonly what: string;
}

/** Stacks whose BucketDeployment handler already carries the handler-wide acknowledgements. */
const acknowledgedHandlers = new WeakSet<Stack>();

/**
 * A BucketDeployment into the site bucket confined to one key prefix. BucketDeployment grants
 * itself readWrite on the whole destination bucket; this view of the same bucket narrows
 * every object grant to the prefix, so the deployment cannot touch anything outside it, and
 * pruning removes only files of earlier deployments under it.
 */
function deployUnderPrefix(scope: Construct, props: PrefixDeploymentProps): BucketDeployment {
  const { prefix } = props;
  const target = Bucket.fromBucketAttributes(scope, 'Prefix', { bucketArn: props.bucket.bucketArn, bucketName: props.bucket.bucketName });
  const grantReadWrite = target.grantReadWrite.bind(target);
  target.grantReadWrite = (identity: IGrantable) => grantReadWrite(identity, `${prefix}*`);

  const deployment = new BucketDeployment(scope, 'Deploy', {
    sources: props.sources,
    destinationBucket: target,
    destinationKeyPrefix: prefix,
    prune: true,
    cacheControl: props.cacheControl,
    memoryLimit: 256,
  });

  // The deployments run in CDK's own singleton custom-resource function (at the stack's
  // root), whose code, runtime and policy shape CDK decides.
  const stack = Stack.of(scope);
  const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!handler) throw new Error('the BucketDeployment handler was not found: cdk-nag acknowledgements would not apply');
  const why = "CDK's BucketDeployment custom resource (runs only during a deployment, to copy the web apps and the about pages into their prefixes of the site bucket)";
  if (!acknowledgedHandlers.has(stack)) {
    acknowledgedHandlers.add(stack);
    acknowledge(
      handler,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      `${why} logs through the AWS managed basic execution policy; its role is created by CDK.`,
    );
    acknowledge(handler, 'AwsSolutions-L1', `${why} runs the runtime CDK pins for its bundled AWS CLI layer; it is upgraded with aws-cdk-lib, not by this app.`);
    for (const action of ['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*']) {
      acknowledge(
        handler,
        `AwsSolutions-IAM5[Action::${action}]`,
        `${why} is granted CDK's bucket read/write action set (${action}); its object actions are confined to the app/ and about/ prefixes of the site bucket and to the CDK asset bucket (read).`,
      );
    }
    // The asset bucket's name as the synthesizer writes it (cdk-<qualifier>-assets-<account>-<region>).
    const assetBucket = stack.synthesizer instanceof DefaultStackSynthesizer ? (stack.synthesizer as unknown as { bucketName?: unknown }).bucketName : undefined;
    if (typeof assetBucket === 'string') {
      acknowledge(
        handler,
        `AwsSolutions-IAM5[Resource::${nagResource(scope, `arn:${stack.partition}:s3:::${assetBucket}/*`)}]`,
        `${why} reads the uploaded source zips from the CDK bootstrap asset bucket, whose object keys are content hashes known only at synth time.`,
      );
    }
  }
  acknowledge(
    handler,
    `AwsSolutions-IAM5[Resource::${nagResource(scope, target.arnForObjects(`${prefix}*`))}]`,
    `${why} writes and prunes every file of ${props.what}, which are exactly the objects under ${prefix} in the site bucket; published documents are outside that prefix.`,
  );
  return deployment;
}

export interface WebAppsProps {
  /** The site bucket (imported from the stateful stack). */
  readonly bucket: IBucket;
  readonly projectRoot: string;
  /** The HTTP API base URL, written to `app/config.json`. */
  readonly apiUrl: string;
}

/**
 * Deploys the web apps (`web/`: the approver console, the upload page) into the site bucket
 * under `app/`, with `app/config.json` naming the API — what `infra/local/web.ts` does
 * locally. The deployment is a CDK-provided custom resource (a Lambda running the AWS CLI);
 * its write access is confined to `app/*` of the site bucket, so it cannot touch the
 * published documents, and pruning removes only files of earlier web deployments.
 */
export class WebApps extends Construct {
  readonly deployment: BucketDeployment;

  constructor(scope: Construct, id: string, props: WebAppsProps) {
    super(scope, id);
    const { dir, prefix } = topology.web;
    this.deployment = deployUnderPrefix(this, {
      bucket: props.bucket,
      prefix,
      sources: [Source.asset(path.join(props.projectRoot, dir), { exclude: ['*.md', '**/*.md'] }), Source.jsonData('config.json', { apiUrl: props.apiUrl })],
      // The pages are small and change with each release: always revalidate.
      cacheControl: [CacheControl.noCache()],
      what: 'the web apps',
    });
  }
}

export interface AboutPagesProps {
  readonly bucket: IBucket;
  readonly projectRoot: string;
}

/** How long the CDN and browsers keep the about pages; they change only with a deployment. */
export const ABOUT_MAX_AGE_SECONDS = 300;

/**
 * Deploys 政府信息公开指南 and 政府信息公开制度 (about/guide.html, about/system.html), rendered
 * at synth time from config/site/*.md, into the site bucket under `about/` — what
 * `infra/local/web.ts` does locally. Confined to that prefix like the web apps.
 */
export class AboutPages extends Construct {
  readonly deployment: BucketDeployment;
  /** The site keys deployed. */
  readonly keys: readonly string[];

  constructor(scope: Construct, id: string, props: AboutPagesProps) {
    super(scope, id);
    const pages = renderAboutPages(props.projectRoot);
    for (const p of pages) if (!p.key.startsWith(KEYS.about)) throw new Error(`about page ${p.key} is outside ${KEYS.about}`);
    this.keys = pages.map((p) => p.key);
    this.deployment = deployUnderPrefix(this, {
      bucket: props.bucket,
      prefix: KEYS.about,
      sources: pages.map((p) => Source.data(p.key.slice(KEYS.about.length), p.body)),
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.seconds(ABOUT_MAX_AGE_SECONDS))],
      what: 'the about pages (指南, 制度)',
    });
  }
}
