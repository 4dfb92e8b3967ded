/**
 * A hook the local runner sets to hold each function to its declared grants, as IAM does
 * in AWS (infra/local/grants.ts). Unset in AWS: the clients then call straight through.
 */
export type CallGuard = (service: 'sqs', command: string, input: Readonly<Record<string, unknown>>) => void;

let guard: CallGuard | undefined;

export const setCallGuard = (g: CallGuard | undefined): void => {
  guard = g;
};

export const callGuard = (): CallGuard | undefined => guard;
