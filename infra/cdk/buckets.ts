import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership, type BucketProps } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { topology, type BucketName } from '#shared/topology';

export interface BucketsProps {
  /** Days access logs are kept (S3 server access logs and CloudFront standard logs). */
  readonly accessLogDays: number;
}

/** Private, encrypted, TLS-only buckets: the topology's buckets plus one for access logs. */
export class Buckets extends Construct {
  /** Access logs of the other buckets and of the CDN. */
  readonly logs: Bucket;
  readonly byName: Readonly<Record<BucketName, Bucket>>;

  constructor(scope: Construct, id: string, props: BucketsProps) {
    super(scope, id);
    const common = {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      removalPolicy: RemovalPolicy.RETAIN,
    } satisfies BucketProps;

    this.logs = new Bucket(this, 'logs', {
      ...common,
      // CloudFront standard logging writes with ACLs; the bucket owner still owns every object.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogDays) }],
    });

    this.byName = {
      drafts: new Bucket(this, 'drafts', {
        ...common,
        versioned: true,
        serverAccessLogsBucket: this.logs,
        serverAccessLogsPrefix: 'drafts/',
        lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(7) }],
      }),
      site: new Bucket(this, 'site', {
        ...common,
        versioned: true,
        serverAccessLogsBucket: this.logs,
        serverAccessLogsPrefix: 'site/',
        // Every publication rewrites the index pages; old copies are only needed to roll back.
        lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
      }),
    };
  }

  /** Lets browsers on these origins POST presigned uploads (and read back) on the buckets declared with CORS. */
  allowBrowserUploads(origins: readonly string[]): void {
    for (const [name, spec] of Object.entries(topology.buckets) as [BucketName, (typeof topology.buckets)[BucketName]][]) {
      if (!spec.cors) continue;
      this.byName[name].addCorsRule({
        allowedOrigins: [...origins],
        allowedMethods: [HttpMethods.POST, HttpMethods.PUT, HttpMethods.GET],
        allowedHeaders: ['*'],
        exposedHeaders: ['ETag'],
        maxAge: 3000,
      });
    }
  }
}
