import type { Context } from 'aws-lambda';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { functionEntry, topology, type FunctionName } from '#shared/topology';
import { setResponseCheck } from '#shared/http';
import { setEnvironmentSource, type Environment } from '#shared/env';
import { runAs, runningFunction } from '#infra/local/grants';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A function's module, imported on first use from the entry the CDK app bundles (functionEntry), exactly as Lambda would load it. */
const load = (name: FunctionName): Promise<{ handler: unknown }> => import(pathToFileURL(join(root, functionEntry(name))).href);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHandler = (event: any, context: Context) => Promise<any>;

const NONE: Environment = Object.freeze({});
let environments: Partial<Record<FunctionName, Environment>> = {};

/**
 * The environment each function runs with (infra/local/stack.ts builds them from
 * functionEnvironment, as the CDK app does). While a function runs, shared/env.ts reads its
 * environment and only it; code outside any function (tests, the runner) reads the process's.
 */
export function setFunctionEnvironments(e: Partial<Record<FunctionName, Environment>>): void {
  environments = { ...e };
  setEnvironmentSource(() => {
    const fn = runningFunction();
    return fn ? (environments[fn] ?? NONE) : undefined;
  });
}

/** The function's handler, run under its grants (infra/local/grants.ts) and with its own environment. */
export async function loadHandler(name: FunctionName): Promise<AnyHandler> {
  // Locally every answer is checked against its route's response schema (shared/routes.ts).
  setResponseCheck(true);
  const mod = await load(name);
  const handler = mod.handler as unknown as AnyHandler;
  return (event, context) => runAs(name, () => handler(event, context));
}

let invocation = 0;
/** A Lambda context for a local invocation, with the function's configured timeout (or, for a test, a shorter one). */
export function lambdaContext(name: FunctionName, timeoutSeconds?: number): Context {
  const started = Date.now();
  const spec = topology.functions[name];
  const timeoutMs = (timeoutSeconds ?? spec.timeoutSeconds) * 1000;
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
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
