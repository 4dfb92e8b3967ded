import { fileURLToPath } from 'node:url';

/**
 * Runs a CLI's `run` when its module is the program node started (not when a test imports it),
 * and exits with its code. A failure `run` did not turn into a message is still reported, in
 * Chinese and English, with exit code 1, never left as an unhandled rejection.
 */
export function runAsMain(moduleUrl: string, run: (argv: string[]) => Promise<number>): void {
  if (!process.argv[1] || fileURLToPath(moduleUrl) !== process.argv[1]) return;
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`意外错误，未完成 / unexpected error, not completed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exit(1);
    },
  );
}
