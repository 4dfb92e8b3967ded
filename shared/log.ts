import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { env } from '#shared/env';

/**
 * The project's one logging module, on Powertools Logger: one JSON line per entry (level,
 * message, timestamp, service `gongkai`, the function name and request id from the Lambda
 * context, `correlation_id` = the draft a handler works on, the X-Ray trace id, and the
 * fields given). Debug lines only with POWERTOOLS_LOG_LEVEL=DEBUG (shared/env.ts).
 *
 * Each invocation (and each SQS record of a batch) logs through its own child logger, held in
 * an AsyncLocalStorage scope, so the local runner — many invocations at once in one process —
 * never stamps one draft's id on another's lines.
 */
type Fields = Record<string, unknown>;

export const SERVICE_NAME = 'gongkai';

let root: PowertoolsLogger | undefined;
const rootLogger = (): PowertoolsLogger => (root ??= new PowertoolsLogger({ serviceName: SERVICE_NAME, logLevel: env.logLevel() }));

const scope = new AsyncLocalStorage<PowertoolsLogger>();
const current = (): PowertoolsLogger => scope.getStore() ?? rootLogger();

/** Runs `fn` with a logger of its own carrying the Lambda context (function name, request id, cold start). */
let coldStart = true;
export function withInvocationLog<T>(context: Context | undefined, fn: () => Promise<T>): Promise<T> {
  const child = rootLogger().createChild();
  if (context?.functionName) {
    // A child is a new Powertools instance, cold on its first call: only this process's first invocation is.
    // (getColdStart is protected in the types; calling it marks the instance warm.)
    if (!coldStart) (child as unknown as { getColdStart(): boolean }).getColdStart();
    coldStart = false;
    child.addContext(context);
  }
  return scope.run(child, fn);
}

/** Runs `fn` with a logger of its own derived from the current one (one SQS record of a batch). */
export function withChildLog<T>(fn: () => Promise<T>): Promise<T> {
  return scope.run(current().createChild(), fn);
}

export const log = {
  debug: (m: string, f: Fields = {}) => current().debug(m, f),
  info: (m: string, f: Fields = {}) => current().info(m, f),
  warn: (m: string, f: Fields = {}) => current().warn(m, f),
  error: (m: string, f: Fields = {}) => current().error(m, f),
  /** The draft the current invocation (or record) works on: every later line carries it as `correlation_id`. */
  setCorrelationId: (draftId: string) => current().setCorrelationId(draftId),
  correlationId: (): string | undefined => current().getCorrelationId() as string | undefined,
};
export type Logger = typeof log;
