import { envName, type BucketName, type QueueName } from '#shared/topology';

/** Thrown at cold start when the deployment forgot to set something. */
export class ConfigurationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new ConfigurationError(`Environment variable ${name} is not set`);
  }
  return value;
}

const optional = (name: string): string | undefined => process.env[name] || undefined;

/**
 * Everything read from the environment, in one place. Values are read when asked for
 * (handlers ask at module scope, once per cold start), so a function only needs the
 * variables of the resources it was granted.
 */
export const env = {
  region: () => optional('AWS_REGION') ?? 'cn-north-1',
  tableName: () => required(envName.table),
  bucket: (b: BucketName) => required(envName.bucket(b)),
  queueUrl: (q: QueueName) => required(envName.queue(q)),
  /** Endpoint overrides: set only when running against local emulators. */
  endpoint: (service: 's3' | 'dynamodb' | 'sqs') => optional(`${service.toUpperCase()}_ENDPOINT`),
  /** Public base URL of the site (the CDN), used for links handed back to users. */
  siteUrl: () => required('SITE_URL').replace(/\/+$/, ''),
  /** Largest accepted upload, bytes. */
  maxUploadBytes: () => Number(optional('MAX_UPLOAD_BYTES') ?? 50 * 1024 * 1024),
  /** Seconds a presigned upload stays valid. */
  uploadExpirySeconds: () => Number(optional('UPLOAD_EXPIRY_SECONDS') ?? 900),
  /** Days after which a task not decided is flagged overdue. */
  taskOverdueDays: () => Number(optional('TASK_OVERDUE_DAYS') ?? 5),
  /** Applications within 12 months that trigger an early re-review of a 依申请公开 document (REV-2). */
  reviewApplicationThreshold: () => Number(optional('REVIEW_APPLICATION_THRESHOLD') ?? 10),
};
