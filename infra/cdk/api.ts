import { Aws, Duration, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, HttpApi, HttpNoneAuthorizer, HttpMethod, HttpStage, LogGroupLogDestination, type ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTE_LIST } from '#shared/routes';
import { acknowledge } from './nag.ts';
import type { FunctionName } from '#shared/topology';

export interface HttpApiGatewayProps {
  readonly functions: Readonly<Record<FunctionName, IFunction>>;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  /** Browser origins allowed to call the API (the upload page, the approver console). */
  readonly allowedOrigins: readonly string[];
  readonly throttle: ThrottleSettings;
  readonly logRetention: RetentionDays;
}

/** The HTTP API of shared/routes.ts; every route requires a Cognito JWT. Roles are checked by the handlers. */
export class HttpApiGateway extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly authorizer: HttpJwtAuthorizer;
  /** https://…/ of the $default stage. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: HttpApiGatewayProps) {
    super(scope, id);
    // HttpUserPoolAuthorizer writes the issuer as cognito-idp.<region>.amazonaws.com, which is
    // wrong in the China partition (amazonaws.com.cn); the URL suffix is right in both.
    this.authorizer = new HttpJwtAuthorizer('CognitoJwt', `https://cognito-idp.${Stack.of(this).region}.${Aws.URL_SUFFIX}/${props.userPoolId}`, {
      jwtAudience: [props.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });

    this.api = new HttpApi(this, 'Api', {
      description: 'Gongkai: drafts and approval tasks',
      createDefaultStage: false,
      defaultAuthorizer: this.authorizer,
      corsPreflight: {
        allowOrigins: [...props.allowedOrigins],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.OPTIONS],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        // A 429's Retry-After, read by the public application page to say how long to wait.
        exposeHeaders: ['retry-after'],
        maxAge: Duration.hours(1),
      },
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            route: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            bytes: '$context.responseLength',
            sub: '$context.authorizer.claims.sub',
            authorizerError: '$context.authorizer.error',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    this.url = this.stage.url;

    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationOf = (fn: FunctionName) => {
      const existing = integrations.get(fn);
      if (existing) return existing;
      const created = new HttpLambdaIntegration(fn, props.functions[fn]);
      integrations.set(fn, created);
      return created;
    };
    for (const route of ROUTE_LIST) {
      // A public route (the public's applications) has no authorizer; every other is behind Cognito's JWT.
      const added = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrationOf(route.fn),
        ...(route.public ? { authorizer: new HttpNoneAuthorizer() } : {}),
      });
      if (route.public)
        for (const r of added)
          acknowledge(
            r,
            'AwsSolutions-APIG4',
            'A public route of 依申请公开: 《政府信息公开条例》 Art. 29 lets anyone apply without an account; the handler validates, size-limits and rate-limits each address, and the stage throttles.',
          );
    }
  }
}
