import { env } from '#shared/env';

/** Structured one-line JSON logs (CloudWatch and the local runner's console read them alike). */
type Fields = Record<string, unknown>;
const emit = (level: string, message: string, fields: Fields = {}) => {
  if (level === 'debug' && !env.debug()) return;
  const line = JSON.stringify({ level, message, ...fields, time: new Date().toISOString() });
  (level === 'error' ? console.error : level === 'warn' ? console.warn : console.log)(line);
};
export const log = {
  debug: (m: string, f?: Fields) => emit('debug', m, f),
  info: (m: string, f?: Fields) => emit('info', m, f),
  warn: (m: string, f?: Fields) => emit('warn', m, f),
  error: (m: string, f?: Fields) => emit('error', m, f),
};
export type Logger = typeof log;
