import { Duration } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { topology, type HeaderPolicyName, type HeaderPolicySpec } from '#shared/topology';
import { acknowledge } from './nag.ts';

/** Construct ids of the policies (the first two as they were before the search policy). */
const POLICY_IDS: Record<HeaderPolicyName, string> = { site: 'SecurityHeaders', app: 'AppSecurityHeaders', search: 'SearchSecurityHeaders' };
const REFERRER: Record<HeaderPolicySpec['referrerPolicy'], HeadersReferrerPolicy> = {
  'strict-origin-when-cross-origin': HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
  'no-referrer': HeadersReferrerPolicy.NO_REFERRER,
};

export interface SiteDomain {
  readonly names: readonly string[];
  /** An ACM certificate in us-east-1 covering the names. */
  readonly certificate: ICertificate;
}

export interface SiteDistributionProps {
  readonly bucket: IBucket;
  readonly logBucket: IBucket;
  /** A custom domain; without one the site answers on its *.cloudfront.net name. */
  readonly domain?: SiteDomain;
  /** A WAF web ACL (scope CLOUDFRONT, created in us-east-1) to attach. */
  readonly webAclArn?: string;
}

/** The public site: the site bucket behind CloudFront, reachable only through Origin Access Control. */
export class SiteDistribution extends Construct {
  readonly distribution: Distribution;
  /** The response headers policies, by the topology's names (site, search, app). */
  readonly headerPolicies: Readonly<Record<HeaderPolicyName, ResponseHeadersPolicy>>;
  /** https://<domain>, no trailing slash. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: SiteDistributionProps) {
    super(scope, id);

    // The response headers policies and the behaviours that apply them come from the topology,
    // which the local CDN (infra/local/cdn.ts) applies the same way.
    const { cdn } = topology;
    const policies = Object.fromEntries(
      (Object.entries(cdn.headers) as [HeaderPolicyName, HeaderPolicySpec][]).map(([name, spec]) => [
        name,
        new ResponseHeadersPolicy(this, POLICY_IDS[name], {
          comment: spec.comment,
          securityHeadersBehavior: {
            strictTransportSecurity: { accessControlMaxAge: Duration.seconds(cdn.hstsSeconds), includeSubdomains: true, override: true },
            contentTypeOptions: { override: true },
            frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
            referrerPolicy: { referrerPolicy: REFERRER[spec.referrerPolicy], override: true },
            contentSecurityPolicy: { contentSecurityPolicy: spec.contentSecurityPolicy, override: true },
          },
        }),
      ]),
    ) as Record<HeaderPolicyName, ResponseHeadersPolicy>;
    this.headerPolicies = policies;
    const origin = S3BucketOrigin.withOriginAccessControl(props.bucket);
    // CachingOptimized: the origin's Cache-Control max-age within [1 s, 1 year], a day without
    // one; the query string is not part of the key. Writers set max-age on what changes, and
    // invalidate what they change (shared/site/invalidate.ts).
    const behaviour = (headers: HeaderPolicyName): BehaviorOptions => ({
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: policies[headers],
      compress: true,
    });

    this.distribution = new Distribution(this, 'Cdn', {
      comment: 'Gongkai public site',
      defaultRootObject: cdn.defaultRootObject,
      defaultBehavior: behaviour(cdn.defaultHeaders),
      additionalBehaviors: Object.fromEntries(cdn.behaviours.map((b) => [b.pathPattern, behaviour(b.headers)])),
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
      ...(props.domain ? { domainNames: [...props.domain.names], certificate: props.domain.certificate, minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021 } : {}),
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
    });
    this.url = `https://${props.domain?.names[0] ?? this.distribution.distributionDomainName}`;

    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'Public government information (政务公开) must be readable from anywhere, including by citizens abroad; no geo restriction.',
    );
    if (!props.webAclArn) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR2',
        'Read-only static pages from S3 with no server-side logic (the search runs in the browser on a static index); Shield Standard applies. Pass webAclArn (a us-east-1 CLOUDFRONT web ACL) to attach WAF.',
      );
    }
    if (!props.domain) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose TLS policy cannot be set. Pass domain (with an ACM certificate) to get TLSv1.2_2021.',
      );
    }
  }
}
