import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3EventRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulators, type Emulators } from '#infra/local/emulators';
import { localNames } from '#infra/local/resources';

/**
 * The emulators run in a child process of their own (infra/local/emulator-process.ts): what
 * the local stack relies on is that their S3 events still arrive, that stop() ends the child
 * and that a parent which dies however it dies leaves no child behind.
 */
const names = localNames('emuproc');
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const until = async (what: string, ok: () => boolean, limitMs = 20_000) => {
  const deadline = Date.now() + limitMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`not ${what} within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('the emulators in their own process', () => {
  let dataDir: string;
  let emulators: Emulators;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gongkai-emuproc-'));
    emulators = await startEmulators({ dataDir, bucketNames: names.buckets });
  });
  afterAll(async () => {
    await emulators?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('run in a child and hand its S3 object events to this process, key and bucket as written', async () => {
    expect(emulators.pid).not.toBe(process.pid);
    expect(alive(emulators.pid)).toBe(true);
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: emulators.endpoints.s3,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const seen: S3EventRecord[] = [];
    const onEvent = (e: { Records?: S3EventRecord[] }) => seen.push(...(e.Records ?? []));
    emulators.s3Events.on('event', onEvent);
    try {
      const keys = ['uploads/一 份/document.pdf', 'uploads/b/document.pdf', 'uploads/c/document.pdf'];
      for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: names.buckets.drafts, Key: key, Body: 'x' }));
      await until('all events seen', () => seen.length >= keys.length);
      // In the order written, as s3rver emitted them.
      expect(seen.map((r) => [r.eventName, r.s3.bucket.name, r.s3.object.key])).toEqual(keys.map((k) => ['ObjectCreated:Put', names.buckets.drafts, k]));
    } finally {
      emulators.s3Events.off('event', onEvent);
    }
    expect((await emulators.cpuUsage())?.user).toBeGreaterThan(0);
  });

  it('reports a port in use with its code and port, as npm start explains it', async () => {
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const port = (taken.address() as { port: number }).port;
    const dir = await mkdtemp(join(tmpdir(), 'gongkai-emuproc-port-'));
    try {
      await expect(startEmulators({ dataDir: dir, ports: { dynamodb: port }, bucketNames: names.buckets })).rejects.toMatchObject({ code: 'EADDRINUSE', port });
    } finally {
      await new Promise((r) => taken.close(r));
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('ends its child on stop()', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gongkai-emuproc-stop-'));
    try {
      const e = await startEmulators({ dataDir: dir, bucketNames: names.buckets });
      expect(alive(e.pid)).toBe(true);
      await e.stop();
      expect(alive(e.pid)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves no child behind when its parent is killed outright (SIGKILL)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gongkai-emuproc-orphan-'));
    const script = `
      import { startEmulators } from '#infra/local/emulators';
      const e = await startEmulators({ dataDir: ${JSON.stringify(dir)}, bucketNames: ${JSON.stringify(names.buckets)} });
      console.log('CHILD ' + e.pid);
      setInterval(() => undefined, 1000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let out = '';
      parent.stdout.on('data', (b: Buffer) => (out += b.toString()));
      await until('child reported', () => /CHILD \d+/.test(out), 60_000);
      const child = Number(/CHILD (\d+)/.exec(out)![1]);
      expect(alive(child)).toBe(true);
      parent.kill('SIGKILL');
      await until('child gone', () => !alive(child));
    } finally {
      if (parent.exitCode === null) parent.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
