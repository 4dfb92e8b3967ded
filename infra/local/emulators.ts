import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { type BucketName } from '#shared/topology';

/**
 * The local stand-ins for AWS, all on 127.0.0.1 and started by the project itself:
 * dynalite (DynamoDB, kept on disk), s3rver (S3, kept on disk), fauxqs (SQS, in memory).
 *
 * By default they run in a child process of their own (infra/local/emulator-process.ts), so
 * their work does not share the handlers' event loop, as AWS's services do not share a
 * Lambda's; s3rver's object events cross over IPC, in order. GONGKAI_EMULATORS=in-process
 * (or `inProcess: true`) runs them in this process, as before.
 */
export interface EmulatorPorts {
  readonly dynamodb: number;
  readonly s3: number;
  readonly sqs: number;
}

export interface EmulatorEndpoints {
  readonly dynamodb: string;
  readonly s3: string;
  readonly sqs: string;
}

export interface Emulators {
  readonly endpoints: EmulatorEndpoints;
  /** Raw S3 events as s3rver emits them, as 'event' (see bridge.ts for the AWS shape). */
  readonly s3Events: NodeJS.EventEmitter;
  /** The emulators' own process id (this process' when they run in it). */
  readonly pid: number;
  /** CPU the emulators' process has used; undefined when they share this process. */
  cpuUsage(): Promise<NodeJS.CpuUsage | undefined>;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  readonly dataDir: string;
  readonly ports?: Partial<EmulatorPorts>;
  readonly bucketNames: Record<BucketName, string>;
  /** Run them in this process (default: GONGKAI_EMULATORS=in-process, else a child process). */
  readonly inProcess?: boolean;
}

/** What the child process and its parent say to each other. */
export type EmulatorMessage =
  | { readonly type: 'ready'; readonly endpoints: EmulatorEndpoints }
  | { readonly type: 'failed'; readonly message: string; readonly code?: string; readonly port?: number }
  | { readonly type: 's3-event'; readonly event: unknown }
  | { readonly type: 'cpu'; readonly usage: NodeJS.CpuUsage };
export type EmulatorCommand = { readonly type: 'cpu' } | { readonly type: 'stop' };

const HOST = '127.0.0.1';

/** CORS rules for the drafts bucket, so a browser can POST straight to the presigned upload. */
const CORS_XML = `<?xml version="1.0" encoding="UTF-8"?>
<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

export function startEmulators(options: EmulatorOptions): Promise<Emulators> {
  const inProcess = options.inProcess ?? process.env.GONGKAI_EMULATORS === 'in-process';
  return inProcess ? startEmulatorsHere(options) : startEmulatorProcess(options);
}

/** The emulators in this process. */
export async function startEmulatorsHere(options: EmulatorOptions): Promise<Emulators> {
  const { dataDir, ports = {}, bucketNames } = options;
  await mkdir(join(dataDir, 'dynamodb'), { recursive: true });
  await mkdir(join(dataDir, 's3'), { recursive: true });

  const dynamo: Server = dynalite({ path: join(dataDir, 'dynamodb'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    dynamo.once('error', reject);
    dynamo.listen(ports.dynamodb ?? 0, HOST, () => resolve());
  });

  const s3 = new S3rver({
    address: HOST,
    port: ports.s3 ?? 0,
    silent: true,
    directory: join(dataDir, 's3'),
    allowMismatchedSignatures: true,
    vhostBuckets: false,
    configureBuckets: [
      { name: bucketNames.drafts, configs: [CORS_XML] },
      { name: bucketNames.site, configs: [] },
    ],
  });
  let s3Address: AddressInfo;
  let sqs: FauxqsServer;
  try {
    s3Address = await s3.run();
    sqs = await startFauxqs({ port: ports.sqs ?? 0, logger: false, host: HOST });
  } catch (err) {
    await new Promise((r) => dynamo.close(r));
    throw err;
  }

  return {
    endpoints: {
      dynamodb: `http://${HOST}:${(dynamo.address() as AddressInfo).port}`,
      s3: `http://${HOST}:${s3Address.port}`,
      sqs: sqs.address,
    },
    s3Events: s3,
    pid: process.pid,
    cpuUsage: () => Promise.resolve(undefined),
    async stop() {
      await Promise.allSettled([sqs.stop(), s3.close(), new Promise((r) => dynamo.close(r))]);
    },
  };
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./emulator-process.ts', import.meta.url));
/** Children still running, killed if this process exits without stopping them. */
const children = new Set<ChildProcess>();
let exitHook = false;

/**
 * The emulators in a child process: forked with tsx, told its data dir, ports and buckets
 * on the command line, answering with its endpoints. The child ends itself when this
 * process goes away however it ends (its IPC channel closes: see emulator-process.ts), and
 * this process kills the children it did not stop when it exits.
 */
async function startEmulatorProcess(options: EmulatorOptions): Promise<Emulators> {
  const args = { dataDir: resolve(options.dataDir), ports: options.ports ?? {}, bucketNames: options.bucketNames };
  const child = fork(CHILD, [JSON.stringify(args)], {
    // --import resolves from the child's working directory: the project's, where tsx is installed.
    cwd: root,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const c of children) c.kill('SIGKILL');
    });
  }
  const events = new EventEmitter();
  const cpuWaiters: ((u: NodeJS.CpuUsage) => void)[] = [];
  let stopping = false;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  void exited.then(() => children.delete(child));

  const endpoints = await new Promise<EmulatorEndpoints>((resolveReady, reject) => {
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      reject(new Error(`本地模拟服务进程启动失败 / the emulator process exited before it was ready (code ${code}, signal ${signal})`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.on('message', (m: EmulatorMessage) => {
      if (m.type === 'ready') {
        child.off('exit', onExit);
        resolveReady(m.endpoints);
      } else if (m.type === 'failed') {
        child.off('exit', onExit);
        reject(Object.assign(new Error(m.message), m.code ? { code: m.code } : {}, m.port !== undefined ? { port: m.port } : {}));
      } else if (m.type === 's3-event') {
        events.emit('event', m.event);
      } else if (m.type === 'cpu') {
        cpuWaiters.shift()?.(m.usage);
      }
    });
  }).catch(async (err: unknown) => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    throw err;
  });

  child.once('exit', (code, signal) => {
    if (!stopping) console.error(`本地模拟服务进程意外退出 / the emulator process exited unexpectedly (code ${code}, signal ${signal})`);
    for (const w of cpuWaiters.splice(0)) w({ user: 0, system: 0 });
  });

  const send = (c: EmulatorCommand) => {
    if (child.connected) child.send(c);
  };
  return {
    endpoints,
    s3Events: events,
    pid: child.pid!,
    cpuUsage: () =>
      child.connected
        ? new Promise<NodeJS.CpuUsage>((r) => {
            cpuWaiters.push(r);
            send({ type: 'cpu' });
          })
        : Promise.resolve(undefined),
    async stop() {
      if (stopping) return exited;
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
