import { Duration } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
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
import { acknowledge } from './nag.ts';

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
  /** https://<domain>, no trailing slash. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: SiteDistributionProps) {
    super(scope, id);

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Gongkai public site: static pages, inline styles only, no scripts',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        // The renderer (shared/render) emits one inline <style> and no scripts.
        contentSecurityPolicy: {
          contentSecurityPolicy:
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
          override: true,
        },
      },
    });

    // The web apps under app/ (approver console, upload page) are ES modules from the same
    // origin that call the API and post presigned uploads over HTTPS; nothing inline, no other host.
    const appHeaders = new ResponseHeadersPolicy(this, 'AppSecurityHeaders', {
      comment: 'Gongkai web apps (app/*): same-origin scripts, API and uploads over HTTPS',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        contentSecurityPolicy: {
          contentSecurityPolicy:
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' https:; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
          override: true,
        },
      },
    });
    const origin = S3BucketOrigin.withOriginAccessControl(props.bucket);

    this.distribution = new Distribution(this, 'Cdn', {
      comment: 'Gongkai public site',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
      additionalBehaviors: {
        'app/*': {
          origin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          // Deployed with Cache-Control: no-cache, so a new release is seen at once.
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: appHeaders,
          compress: true,
        },
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
      ...(props.domain
        ? { domainNames: [...props.domain.names], certificate: props.domain.certificate, minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021 }
        : {}),
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
    });
    this.url = `https://${props.domain?.names[0] ?? this.distribution.distributionDomainName}`;

    acknowledge(this.distribution, 'AwsSolutions-CFR1',
      'Public government information (政务公开) must be readable from anywhere, including by citizens abroad; no geo restriction.');
    if (!props.webAclArn) {
      acknowledge(this.distribution, 'AwsSolutions-CFR2',
        'Read-only static pages from S3 with no server-side logic or forms; Shield Standard applies. Pass webAclArn (a us-east-1 CLOUDFRONT web ACL) to attach WAF.');
    }
    if (!props.domain) {
      acknowledge(this.distribution, 'AwsSolutions-CFR4',
        'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose TLS policy cannot be set. Pass domain (with an ACM certificate) to get TLSv1.2_2021.');
    }
  }
}
