/**
 * The settings `npm start` reads from its environment (infra/local/start.ts), checked before
 * anything starts: a value that is not one of the allowed ones is refused with a message naming
 * the variable and what it may be (in Chinese, with the English), never taken as NaN or 0.
 */
import { machineConcurrency } from '#infra/local/stack';
import { topology, type QueueName } from '#shared/topology';

/** A setting of `npm start` with a value it does not accept. */
export class StartSettingError extends Error {
  readonly variable: string;
  constructor(variable: string, message: { readonly zh: string; readonly en: string }) {
    super(`${message.zh}\n${message.en}`);
    this.name = 'StartSettingError';
    this.variable = variable;
  }
}

/** At most this many batches at once per queue: beyond it a local machine only thrashes. */
export const POLLER_CONCURRENCY_MAX = 64;

type Vars = Readonly<Record<string, string | undefined>>;

/** A whole number in [min, max] written in decimal digits only (no sign, exponent, spaces or fraction). */
function wholeNumber(raw: string, min: number, max: number): number | undefined {
  if (!/^\d{1,6}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= min && n <= max ? n : undefined;
}

/**
 * GONGKAI_POLLER_CONCURRENCY: batches each standard queue's poller runs at once, a whole number
 * from 1 to POLLER_CONCURRENCY_MAX; unset or empty: the machine's cores, at least 2.
 */
export function pollerConcurrencySetting(vars: Vars = process.env): number {
  const name = 'GONGKAI_POLLER_CONCURRENCY';
  const raw = vars[name]?.trim();
  if (raw === undefined || raw === '') return machineConcurrency();
  const n = wholeNumber(raw, 1, POLLER_CONCURRENCY_MAX);
  if (n === undefined) {
    throw new StartSettingError(name, {
      zh: `环境变量 ${name} 的值“${raw}”无效：应为 1 到 ${POLLER_CONCURRENCY_MAX} 之间的整数（每个标准队列同时处理的批次数；1 表示逐批处理），或不设置（默认为本机核数，至少 2）。`,
      en: `${name}="${raw}" is not valid: it must be a whole number from 1 to ${POLLER_CONCURRENCY_MAX} (batches each standard queue handles at once; 1: one at a time), or unset (default: the machine's cores, at least 2).`,
    });
  }
  return n;
}

/** Standard queues with a consumer: those whose poller concurrency may be set apart. */
const STANDARD_QUEUES = (Object.keys(topology.queues) as QueueName[]).filter((q) => 'consumer' in topology.queues[q] && !('fifo' in topology.queues[q] && topology.queues[q].fifo));

/**
 * The extract queue's default: twice the others' (its CPU-bound work runs in a pool of workers
 * sized to the cores, so twice as many records in flight overlap their S3 and DynamoDB waits with
 * the others' extraction), or one at a time when the others are.
 */
export const defaultExtractConcurrency = (others: number): number => (others === 1 ? 1 : Math.min(POLLER_CONCURRENCY_MAX, 2 * others));

/**
 * GONGKAI_POLLER_CONCURRENCY_<QUEUE> (EXTRACT, OCR, CHECK, PUBLISH): batches that one standard
 * queue's poller runs at once instead of GONGKAI_POLLER_CONCURRENCY (`others`), a whole number
 * from 1 to POLLER_CONCURRENCY_MAX; unset or empty: as the others, except EXTRACT
 * (defaultExtractConcurrency). For LocalStackOptions.queueConcurrency.
 */
export function queueConcurrencySetting(vars: Vars = process.env, others: number = pollerConcurrencySetting(vars)): Partial<Record<QueueName, number>> {
  const out: Partial<Record<QueueName, number>> = { extract: defaultExtractConcurrency(others) };
  for (const q of STANDARD_QUEUES) {
    const name = `GONGKAI_POLLER_CONCURRENCY_${q.toUpperCase()}`;
    const raw = vars[name]?.trim();
    if (raw === undefined || raw === '') continue;
    const n = wholeNumber(raw, 1, POLLER_CONCURRENCY_MAX);
    if (n === undefined) {
      throw new StartSettingError(name, {
        zh: `环境变量 ${name} 的值“${raw}”无效：应为 1 到 ${POLLER_CONCURRENCY_MAX} 之间的整数（${q} 队列同时处理的批次数），或不设置（${q === 'extract' ? '默认为 GONGKAI_POLLER_CONCURRENCY 的两倍，其为 1 时为 1' : '与 GONGKAI_POLLER_CONCURRENCY 相同'}）。`,
        en: `${name}="${raw}" is not valid: it must be a whole number from 1 to ${POLLER_CONCURRENCY_MAX} (batches the ${q} queue handles at once), or unset (${q === 'extract' ? 'default: twice GONGKAI_POLLER_CONCURRENCY, 1 when it is 1' : 'as GONGKAI_POLLER_CONCURRENCY'}).`,
      });
    }
    out[q] = n;
  }
  return out;
}

/** GONGKAI_PORT_<NAME>: a TCP port, 0 to 65535 (0: any free port); unset or empty: `fallback`. */
export function portSetting(name: string, fallback: number, vars: Vars = process.env): number {
  const variable = `GONGKAI_PORT_${name}`;
  const raw = vars[variable]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = wholeNumber(raw, 0, 65_535);
  if (n === undefined) {
    throw new StartSettingError(variable, {
      zh: `环境变量 ${variable} 的值“${raw}”无效：应为 0 到 65535 之间的端口号（0 表示任选空闲端口），或不设置（默认 ${fallback}）。`,
      en: `${variable}="${raw}" is not valid: it must be a port number from 0 to 65535 (0: any free port), or unset (default ${fallback}).`,
    });
  }
  return n;
}
