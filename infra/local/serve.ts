import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { log } from '#shared/log';

/**
 * A node:http listener from an async handler. A failure the handler did not answer itself (a
 * socket closed mid-write, a bug) is logged and answered 500, or the connection closed if the
 * response had begun: it never becomes an unhandled rejection that takes the local stack down.
 */
export function serve(name: string, handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): RequestListener {
  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error(`${name} failure`, { error: String(err), stack: (err as Error)?.stack });
      try {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('服务器内部错误 / internal error\n');
        else res.destroy();
      } catch {
        res.destroy();
      }
    });
  };
}
