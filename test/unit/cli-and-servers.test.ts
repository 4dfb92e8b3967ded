import { spawnSync } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { run as approver } from '#cli/approver';
import { run as submit } from '#cli/submit';
import { serve } from '#infra/local/serve';

describe('the CLIs, given arguments they do not know', () => {
  it.each([
    { cli: 'approver', args: '--bogus', run: approver, argv: ['--bogus'] },
    { cli: 'approver', args: 'claim --lease', run: approver, argv: ['claim', '--lease'] },
    { cli: 'submit', args: '--nope folder', run: submit, argv: ['--nope', 'folder'] },
  ])('$cli $args: a bilingual usage message and exit code 2, not a stack trace', async ({ run, argv }) => {
    const lines: string[] = [];
    const code = await run([...argv], (s) => lines.push(s));
    expect(code).toBe(2);
    const text = lines.join('\n');
    expect(text).toMatch(/用法 usage: npm run/);
    expect(text).not.toMatch(/\n\s+at /);
  });

  it('run as a program: the same message on the terminal and exit code 2', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'cli/approver.ts', '--bogus'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/参数有误 \/ bad arguments: .*--bogus/);
    expect(r.stderr).not.toMatch(/ERR_PARSE_ARGS|\n\s+at /);
  });
});

describe('the local servers, when a handler fails in a way it did not answer', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  const listen = async (handle: Parameters<typeof serve>[1]) => {
    server = createServer(serve('test server', handle));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };
  const get = (port: number) =>
    new Promise<{ status?: number; body?: string; error?: string }>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/' }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode, body }));
        res.on('error', (e) => resolve({ status: res.statusCode, error: e.message }));
      });
      req.on('error', (e) => resolve({ error: e.message }));
      req.end();
    });

  it('answers 500 before the response began, closes the connection after, and keeps serving', async () => {
    const rejections: unknown[] = [];
    const onRejection = (r: unknown) => rejections.push(r);
    process.on('unhandledRejection', onRejection);
    try {
      let calls = 0;
      const port = await listen(async (_req, res) => {
        calls += 1;
        if (calls === 1) throw new Error('before the response');
        if (calls === 2) {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('partial');
          throw new Error('after the response began');
        }
        res.end('ok');
      });
      const first = await get(port);
      expect(first.status).toBe(500);
      expect(first.body).toMatch(/服务器内部错误 \/ internal error/);
      const second = await get(port);
      expect(second.error ?? second.status).toBeDefined();
      expect(second.body ?? '').not.toBe('partialok');
      expect(await get(port)).toEqual({ status: 200, body: 'ok' });
      await new Promise((r) => setTimeout(r, 50));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
