import { envName, type BucketName, type QueueName } from '#shared/topology';

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** Thrown at cold start when the deployment forgot to set something. */
export class ConfigurationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

/** The environment variables a function sees. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The settings' defaults, written once: the configuration below falls back to them, the
 * CDK app deploys them (infra/app.ts), the local runner and the README name them.
 */
export const DEFAULTS = {
  region: 'cn-north-1',
  /** Largest accepted upload, bytes. */
  maxUploadBytes: 50 * 1024 * 1024,
  /** Seconds a presigned upload stays valid. */
  uploadExpirySeconds: 900,
  /** Days after which a task not decided is flagged overdue. */
  taskOverdueDays: 5,
  /** Applications within 12 months that trigger an early re-review of a 依申请公开 document (REV-2). */
  reviewApplicationThreshold: 10,
} as const;

/**
 * Where the environment comes from. In Lambda: process.env, the function's own. Locally every
 * function runs in one process, so the runner sets a source that answers, for the function
 * running now, only that function's variables (infra/local/stack.ts): a function that reads
 * what its deployment would not give it fails locally as it would in AWS.
 */
let source: () => Environment | undefined = () => undefined;

export function setEnvironmentSource(s: (() => Environment | undefined) | undefined): void {
  source = s ?? (() => undefined);
  resetConfiguration();
}

/** The environment of the code running now (what a worker thread it starts inherits). */
export const currentEnvironment = (): Environment => source() ?? process.env;

/**
 * Each setting is read and parsed once per environment — once per cold start in Lambda —
 * and kept. A local stack started again (other ports) or a test that changes a variable of
 * the process calls resetConfiguration().
 */
let cache = new WeakMap<Environment, Map<string, unknown>>();

export function resetConfiguration(): void {
  cache = new WeakMap();
}

function setting<T>(key: string, read: (vars: Environment) => T): () => T {
  return () => {
    const vars = currentEnvironment();
    let values = cache.get(vars);
    if (!values) cache.set(vars, (values = new Map()));
    if (values.has(key)) return values.get(key) as T;
    const value = read(vars);
    values.set(key, value);
    return value;
  };
}

/**
 * Hands a variable to a library that reads only the environment (pagefind's Node API reads
 * PAGEFIND_EXTENDED_BINARY_PATH): written here, the one module that touches the environment.
 */
export function setLibraryVariable(name: string, value: string): void {
  process.env[name] = value;
  resetConfiguration();
}

function required(vars: Environment, name: string): string {
  const value = vars[name];
  if (value === undefined || value === '') {
    throw new ConfigurationError(`Environment variable ${name} is not set (the function's deployment does not give it: is the resource granted in shared/topology.ts?)`);
  }
  return value;
}

const optional = (vars: Environment, name: string): string | undefined => vars[name] || undefined;

function number(vars: Environment, name: string, fallback: number, check: (n: number) => boolean = (n) => Number.isInteger(n) && n > 0): number {
  const raw = optional(vars, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!check(n)) throw new ConfigurationError(`Environment variable ${name} must be a positive integer, not ${JSON.stringify(raw)}`);
  return n;
}

/**
 * Everything read from the environment, in one place (no other module of shared/ or
 * functions/ reads process.env). A function only needs the variables of the resources it
 * was granted: a setting is read when first asked for, and kept.
 */
export const env = {
  region: setting('region', (v) => optional(v, 'AWS_REGION') ?? DEFAULTS.region),
  tableName: setting('table', (v) => required(v, envName.table)),
  bucket: (b: BucketName) => setting(`bucket:${b}`, (v) => required(v, envName.bucket(b)))(),
  queueUrl: (q: QueueName) => setting(`queue:${q}`, (v) => required(v, envName.queue(q)))(),
  /** Endpoint overrides: set only when running against local emulators. */
  endpoint: (service: 's3' | 'dynamodb' | 'sqs') => setting(`endpoint:${service}`, (v) => optional(v, `${service.toUpperCase()}_ENDPOINT`))(),
  /** Public base URL of the site (the CDN), used for links handed back to users. */
  siteUrl: setting('siteUrl', (v) => required(v, 'SITE_URL').replace(/\/+$/, '')),
  /** The CDN distribution to invalidate (AWS), or the bucket of the local CDN's invalidation records: one of the two. */
  cdn: setting('cdn', (v): { distributionId: string } | { localRecords: string } | undefined => {
    const distributionId = optional(v, envName.distribution);
    if (distributionId) return { distributionId };
    const localRecords = optional(v, envName.localInvalidations);
    return localRecords ? { localRecords } : undefined;
  }),
  /** Largest accepted upload, bytes. */
  maxUploadBytes: setting('maxUploadBytes', (v) => number(v, 'MAX_UPLOAD_BYTES', DEFAULTS.maxUploadBytes)),
  /** Seconds a presigned upload stays valid. */
  uploadExpirySeconds: setting('uploadExpirySeconds', (v) => number(v, 'UPLOAD_EXPIRY_SECONDS', DEFAULTS.uploadExpirySeconds)),
  /** Days after which a task not decided is flagged overdue. */
  taskOverdueDays: setting('taskOverdueDays', (v) => number(v, 'TASK_OVERDUE_DAYS', DEFAULTS.taskOverdueDays)),
  /** Applications within 12 months that trigger an early re-review of a 依申请公开 document (REV-2). */
  /** Directory of a bundled asset (Lambda: /var/task/<dir>/; topology `assets`), or undefined where none is shipped (node_modules). */
  assetDir: (variable: string) => setting(`asset:${variable}`, (v) => optional(v, variable))(),
  /** Log level: POWERTOOLS_LOG_LEVEL (DEBUG, INFO, WARN, ERROR, SILENT), or DEBUG when GONGKAI_DEBUG is set; INFO by default. */
  logLevel: setting('logLevel', (v): LogLevelName => {
    const level = (optional(v, 'POWERTOOLS_LOG_LEVEL') ?? (optional(v, 'GONGKAI_DEBUG') ? 'DEBUG' : 'INFO')).toUpperCase();
    return (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevelName) : 'INFO';
  }),
  /** The pagefind binary its Node API runs (PAGEFIND_EXTENDED_BINARY_PATH), once located. */
  pagefindBinary: setting('pagefindBinary', (v) => optional(v, 'PAGEFIND_EXTENDED_BINARY_PATH')),
  reviewApplicationThreshold: setting('reviewApplicationThreshold', (v) => number(v, 'REVIEW_APPLICATION_THRESHOLD', DEFAULTS.reviewApplicationThreshold)),
};
