/**
 * The emulators' own process (see startEmulators in emulators.ts): started by the local
 * stack with its options as JSON in argv[2]; answers 'ready' with the endpoints (or 'failed'),
 * forwards every s3rver object event, reports its CPU on request and stops on 'stop'. It
 * ends itself when its parent goes away (the IPC channel closes, even if the parent was
 * killed), so it is never left behind.
 */
import { startEmulatorsHere, type EmulatorCommand, type EmulatorMessage, type EmulatorOptions, type Emulators } from '#infra/local/emulators';

const tell = (m: EmulatorMessage) => {
  if (process.connected) process.send!(m);
};

let emulators: Emulators | undefined;
let ending = false;
const end = async (code: number) => {
  if (ending) return;
  ending = true;
  await emulators?.stop().catch(() => undefined);
  process.exit(code);
};

process.on('disconnect', () => void end(0));
process.on('SIGINT', () => undefined); // Ctrl-C reaches the whole group: the parent decides when we stop.
process.on('message', (c: EmulatorCommand) => {
  if (c.type === 'stop') void end(0);
  else if (c.type === 'cpu') tell({ type: 'cpu', usage: process.cpuUsage() });
});

const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions;
try {
  emulators = await startEmulatorsHere({ ...options, inProcess: true });
  emulators.s3Events.on('event', (event: unknown) => tell({ type: 's3-event', event }));
  tell({ type: 'ready', endpoints: emulators.endpoints });
} catch (err) {
  const e = err as NodeJS.ErrnoException & { port?: number };
  tell({ type: 'failed', message: String(e.message ?? err), ...(e.code ? { code: e.code } : {}), ...(e.port !== undefined ? { port: e.port } : {}) });
  await end(1);
}
