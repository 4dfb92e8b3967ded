import { AsyncLocalStorage } from 'node:async_hooks';
import { setCallGuard } from '#shared/aws/guard';
import { envName, topology, type FunctionName, type FunctionSpec, type QueueAccess, type QueueName } from '#shared/topology';

/**
 * The local runner holds every function to the queue grants topology.ts declares, as IAM
 * does in AWS: a function that sends to a queue it may not send to, or receives, deletes or
 * hides messages of a queue it may not consume, fails here as it would there (AccessDenied).
 * The function running is tracked per invocation (AsyncLocalStorage); code outside any
 * function (tests, the runner's own pollers) is not checked.
 */
const running = new AsyncLocalStorage<FunctionName>();

const SENDS = new Set(['SendMessageCommand', 'SendMessageBatchCommand']);
const CONSUMES = new Set(['ReceiveMessageCommand', 'DeleteMessageCommand', 'DeleteMessageBatchCommand', 'ChangeMessageVisibilityCommand', 'ChangeMessageVisibilityBatchCommand']);

export class AccessDeniedError extends Error {
  override readonly name = 'AccessDenied';
}

function queueOf(url: unknown): QueueName | undefined {
  return (Object.keys(topology.queues) as QueueName[]).find((q) => process.env[envName.queue(q)] === url);
}

/** Throws unless `fn` may make this SQS call. */
export function checkSqsCall(fn: FunctionName, command: string, input: Readonly<Record<string, unknown>>): void {
  const queue = queueOf(input.QueueUrl);
  const access: QueueAccess | undefined = queue ? (topology.functions[fn] as FunctionSpec).queues?.[queue] : undefined;
  const need = SENDS.has(command) ? 'send' : CONSUMES.has(command) ? 'consume' : 'any';
  const ok = access !== undefined && (need === 'any' || access === need || access === 'send+consume');
  if (!ok) {
    throw new AccessDeniedError(
      `函数 ${fn} 无权对队列 ${queue ?? String(input.QueueUrl)} 执行 ${command}（topology.ts 授权：${access ?? '无'}）：请在 shared/topology.ts 中声明所需权限，或不再调用。 / ` +
        `Function ${fn} may not call ${command} on queue ${queue ?? String(input.QueueUrl)} (granted in topology.ts: ${access ?? 'nothing'}): declare the grant in shared/topology.ts, or stop making the call.`,
    );
  }
}

/** Runs `f` as function `fn`: its SQS calls are checked against fn's grants. */
export function runAs<T>(fn: FunctionName, f: () => T): T {
  setCallGuard((service, command, input) => {
    const current = running.getStore();
    if (current && service === 'sqs') checkSqsCall(current, command, input);
  });
  return running.run(fn, f);
}
