import type { Context } from 'aws-lambda';
import { withInvocationLog } from '#shared/log';
import { withInvocationMetrics } from '#shared/metrics';

/**
 * The outermost wrapper of every Lambda handler: the invocation logs through a logger that
 * carries its Lambda context (shared/log.ts), and its metrics are flushed once, as EMF, when
 * it ends (shared/metrics.ts). apiHandler, sqsStage and the scheduled handlers use it.
 */
export function observe<E, R>(name: string, fn: (event: E, context: Context) => Promise<R>): (event: E, context: Context) => Promise<R> {
  return (event, context) => withInvocationLog(context, () => withInvocationMetrics(context?.functionName ?? name, () => fn(event, context)));
}
