/**
 * A hook the local runner sets to hold each function to its declared grants, as IAM does
 * in AWS (infra/local/grants.ts). Unset in AWS: the clients then call straight through.
 */
export type GuardedService = 'sqs' | 's3' | 'dynamodb' | 'cloudfront';
export type CallGuard = (service: GuardedService, command: string, input: Readonly<Record<string, unknown>>) => void;

let guard: CallGuard | undefined;

export const setCallGuard = (g: CallGuard | undefined): void => {
  guard = g;
};

export const callGuard = (): CallGuard | undefined => guard;

/**
 * Adds the guard to a client's middleware stack: every command is checked before it is
 * sent (locally; in AWS no guard is set and the call goes straight through to IAM).
 */
export function guardClient(service: GuardedService, client: { middlewareStack: { add: (...args: never[]) => unknown } }): void {
  // The SDK's middleware types differ per client; the shape used here is common to all.
  (client.middlewareStack as unknown as { add: (mw: unknown, opts: unknown) => void }).add(
    (next: (args: { input: unknown }) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: unknown }) => {
      callGuard()?.(service, String(context.commandName ?? ''), args.input as Record<string, unknown>);
      return next(args);
    },
    { step: 'initialize', name: 'gongkaiGrantGuard' },
  );
}
