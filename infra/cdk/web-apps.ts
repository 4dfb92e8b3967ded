import path from 'node:path';
import { DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { topology } from '#shared/topology';
import { acknowledge, nagResource } from './nag.ts';

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
    // BucketDeployment grants itself readWrite on the whole destination bucket; this view of
    // the same bucket narrows every object grant to the web apps' prefix.
    const target = Bucket.fromBucketAttributes(this, 'AppPrefix', { bucketArn: props.bucket.bucketArn, bucketName: props.bucket.bucketName });
    const grantReadWrite = target.grantReadWrite.bind(target);
    target.grantReadWrite = (identity: IGrantable) => grantReadWrite(identity, `${prefix}*`);

    this.deployment = new BucketDeployment(this, 'Deploy', {
      sources: [
        Source.asset(path.join(props.projectRoot, dir), { exclude: ['*.md', '**/*.md'] }),
        Source.jsonData('config.json', { apiUrl: props.apiUrl }),
      ],
      destinationBucket: target,
      destinationKeyPrefix: prefix,
      // The pages are small and change with each release: always revalidate.
      cacheControl: [CacheControl.noCache()],
      memoryLimit: 256,
    });

    // The deployment runs in CDK's own singleton custom-resource function (at the stack's
    // root), whose code, runtime and policy shape CDK decides.
    const stack = Stack.of(this);
    const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('the BucketDeployment handler was not found: cdk-nag acknowledgements would not apply');
    const why = "CDK's BucketDeployment custom resource (runs only during a deployment, to copy web/ into the site bucket)";
    acknowledge(handler, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      `${why} logs through the AWS managed basic execution policy; its role is created by CDK.`);
    acknowledge(handler, 'AwsSolutions-L1',
      `${why} runs the runtime CDK pins for its bundled AWS CLI layer; it is upgraded with aws-cdk-lib, not by this app.`);
    for (const action of ['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*']) {
      acknowledge(handler, `AwsSolutions-IAM5[Action::${action}]`,
        `${why} is granted CDK's bucket read/write action set (${action}); its object actions are confined to the app/ prefix of the site bucket and to the CDK asset bucket (read).`);
    }
    acknowledge(handler, `AwsSolutions-IAM5[Resource::${nagResource(this, target.arnForObjects(`${prefix}*`))}]`,
      `${why} writes and prunes every file of the web apps, which are exactly the objects under app/ in the site bucket; published documents are outside that prefix.`);
    // The asset bucket's name as the synthesizer writes it (cdk-<qualifier>-assets-<account>-<region>).
    const assetBucket = stack.synthesizer instanceof DefaultStackSynthesizer ? (stack.synthesizer as unknown as { bucketName?: unknown }).bucketName : undefined;
    if (typeof assetBucket === 'string') {
      acknowledge(handler, `AwsSolutions-IAM5[Resource::${nagResource(this, `arn:${stack.partition}:s3:::${assetBucket}/*`)}]`,
        `${why} reads the uploaded web/ asset zip from the CDK bootstrap asset bucket, whose object keys are content hashes known only at synth time.`);
    }
  }
}
