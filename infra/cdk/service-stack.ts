import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { HttpApiGateway } from './api.ts';
import { importStateful, type StatefulResources } from './contract.ts';
import { PipelineFunctions, type UploadLimits } from './functions.ts';
import { AboutPages, WebApps } from './web-apps.ts';

export interface ServiceStackProps extends StackProps {
  /** The stateful stack whose exports this stack imports. */
  readonly statefulStackName: string;
  readonly projectRoot: string;
  /** Extra browser origins allowed to call the API (the site's own origin always may). */
  readonly apiOrigins: readonly string[];
  readonly throttle: ThrottleSettings;
  readonly logRetention: RetentionDays;
  readonly uploads: UploadLimits;
}

/** The code: functions, their triggers and the HTTP API, over the stateful stack's resources. */
export class ServiceStack extends Stack {
  readonly resources: StatefulResources;
  readonly functions: PipelineFunctions;
  readonly api: HttpApiGateway;
  readonly web: WebApps;
  readonly about: AboutPages;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    this.resources = importStateful(this, props.statefulStackName);
    this.functions = new PipelineFunctions(this, 'Functions', {
      resources: this.resources,
      projectRoot: props.projectRoot,
      logRetention: props.logRetention,
      uploads: props.uploads,
    });
    this.api = new HttpApiGateway(this, 'Http', {
      functions: this.functions.handlers,
      userPoolId: this.resources.userPoolId,
      userPoolClientId: this.resources.userPoolClientId,
      allowedOrigins: [this.resources.siteUrl, ...props.apiOrigins],
      throttle: props.throttle,
      logRetention: props.logRetention,
    });
    // The web apps need the API's URL, so they are deployed here, into the stateful stack's site bucket.
    this.web = new WebApps(this, 'Web', { bucket: this.resources.buckets.site, projectRoot: props.projectRoot, apiUrl: this.api.url });
    // 政府信息公开指南 and 制度, rendered from config/site/*.md, under about/.
    this.about = new AboutPages(this, 'About', { bucket: this.resources.buckets.site, projectRoot: props.projectRoot });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'HTTP API base URL' });
  }
}
