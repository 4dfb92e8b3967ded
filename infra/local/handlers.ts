import type { Context } from 'aws-lambda';
import { topology, type FunctionName } from '#shared/topology';
import { setResponseCheck } from '#shared/http';
import { runAs } from '#infra/local/grants';

/** Every function of the topology, imported on first use exactly as Lambda would load it. */
const loaders = {
  'create-draft': () => import('#functions/create-draft'),
  'get-draft': () => import('#functions/get-draft'),
  'preview-draft': () => import('#functions/preview-draft'),
  'decide-mask': () => import('#functions/decide-mask'),
  'renew-uploads': () => import('#functions/renew-uploads'),
  'list-rules': () => import('#functions/list-rules'),
  'list-tasks': () => import('#functions/list-tasks'),
  'claim-task': () => import('#functions/claim-task'),
  'decide-task': () => import('#functions/decide-task'),
  'extend-lease': () => import('#functions/extend-lease'),
  'revise-draft': () => import('#functions/revise-draft'),
  'record-application': () => import('#functions/record-application'),
  'withdraw-document': () => import('#functions/withdraw-document'),
  'change-validity': () => import('#functions/change-validity'),
  'schedule-reviews': () => import('#functions/schedule-reviews'),
  'extract-document': () => import('#functions/extract-document'),
  'check-draft': () => import('#functions/check-draft'),
  'publish-document': () => import('#functions/publish-document'),
  'render-site': () => import('#functions/render-site'),
  reconcile: () => import('#functions/reconcile'),
  'get-openapi': () => import('#functions/get-openapi'),
  'import-historical': () => import('#functions/import-historical'),
  'list-historical': () => import('#functions/list-historical'),
  'determine-historical': () => import('#functions/determine-historical'),
} satisfies Record<FunctionName, () => Promise<{ handler: unknown }>>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHandler = (event: any, context: Context) => Promise<any>;

/** The function's handler, run under its grants (infra/local/grants.ts). */
export async function loadHandler(name: FunctionName): Promise<AnyHandler> {
  // Locally every answer is checked against its route's response schema (shared/routes.ts).
  setResponseCheck(true);
  const mod = await loaders[name]();
  const handler = mod.handler as unknown as AnyHandler;
  return (event, context) => runAs(name, () => handler(event, context));
}

let invocation = 0;
/** A Lambda context for a local invocation, with the function's configured timeout. */
export function lambdaContext(name: FunctionName): Context {
  const started = Date.now();
  const spec = topology.functions[name];
  const requestId = `local-${process.pid}-${++invocation}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: String(spec.memoryMB),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: requestId,
    getRemainingTimeInMillis: () => Math.max(0, spec.timeoutSeconds * 1000 - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
