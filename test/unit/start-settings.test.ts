import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { POLLER_CONCURRENCY_MAX, pollerConcurrencySetting, portSetting, queueConcurrencySetting, StartSettingError } from '#infra/local/start-settings';
import { machineConcurrency } from '#infra/local/stack';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('npm start settings (issue 17.4): GONGKAI_POLLER_CONCURRENCY', () => {
  it('takes a whole number from 1 to the maximum, and the cores when unset or empty', () => {
    expect(pollerConcurrencySetting({ GONGKAI_POLLER_CONCURRENCY: '1' })).toBe(1);
    expect(pollerConcurrencySetting({ GONGKAI_POLLER_CONCURRENCY: '3' })).toBe(3);
    expect(pollerConcurrencySetting({ GONGKAI_POLLER_CONCURRENCY: ` ${POLLER_CONCURRENCY_MAX} ` })).toBe(POLLER_CONCURRENCY_MAX);
    expect(pollerConcurrencySetting({})).toBe(machineConcurrency());
    expect(pollerConcurrencySetting({ GONGKAI_POLLER_CONCURRENCY: '' })).toBe(machineConcurrency());
    expect(machineConcurrency()).toBeGreaterThanOrEqual(2);
  });

  it.each(['0', '-1', 'abc', 'NaN', '2.5', '1e1', '0x10', '3 batches', String(POLLER_CONCURRENCY_MAX + 1), 'Infinity'])(
    'refuses %j, naming the variable and the allowed values in Chinese and English',
    (raw) => {
      let caught: unknown;
      try {
        pollerConcurrencySetting({ GONGKAI_POLLER_CONCURRENCY: raw });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(StartSettingError);
      const err = caught as StartSettingError;
      expect(err.variable).toBe('GONGKAI_POLLER_CONCURRENCY');
      const [zh, en] = err.message.split('\n');
      expect(zh).toContain('GONGKAI_POLLER_CONCURRENCY');
      expect(zh).toContain(`1 到 ${POLLER_CONCURRENCY_MAX} 之间的整数`);
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      expect(en).toContain(`GONGKAI_POLLER_CONCURRENCY="${raw.trim()}" is not valid`);
      expect(en).toContain(`a whole number from 1 to ${POLLER_CONCURRENCY_MAX}`);
    },
  );
});

describe('npm start settings: GONGKAI_PORT_*', () => {
  it('takes a port from 0 to 65535, the default when unset or empty', () => {
    expect(portSetting('API', 8700, {})).toBe(8700);
    expect(portSetting('API', 8700, { GONGKAI_PORT_API: '' })).toBe(8700);
    expect(portSetting('API', 8700, { GONGKAI_PORT_API: '0' })).toBe(0);
    expect(portSetting('SQS', 8704, { GONGKAI_PORT_SQS: '65535' })).toBe(65535);
  });

  it.each(['65536', '-1', 'http', '87.5', '8700x'])('refuses %j', (raw) => {
    expect(() => portSetting('SITE', 8701, { GONGKAI_PORT_SITE: raw })).toThrow(StartSettingError);
    expect(() => portSetting('SITE', 8701, { GONGKAI_PORT_SITE: raw })).toThrow(
      /GONGKAI_PORT_SITE.*0 到 65535[\s\S]*GONGKAI_PORT_SITE="[^"]*" is not valid: it must be a port number from 0 to 65535/,
    );
  });
});

describe('npm start with a bad setting', () => {
  it('stops before starting anything, with the message and exit code 1', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gongkai-start-settings-'));
    try {
      const run = promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['infra/local/start.ts'], {
        cwd: root,
        env: { ...process.env, GONGKAI_POLLER_CONCURRENCY: 'zero', GONGKAI_DATA_DIR: path.join(dataDir, 'data') },
        timeout: 60_000,
      });
      const failed = await run.then(
        () => undefined,
        (err: { code?: number; stderr?: string; stdout?: string }) => err,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toContain('GONGKAI_POLLER_CONCURRENCY="zero" is not valid');
      expect(failed?.stderr).toContain('环境变量 GONGKAI_POLLER_CONCURRENCY 的值“zero”无效');
      // Nothing was started: not even the data directory was made.
      expect(failed?.stdout ?? '').not.toContain('starting the local stack');
      expect(await readdir(dataDir)).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('npm start settings (issue 17.4): GONGKAI_POLLER_CONCURRENCY_<QUEUE>', () => {
  it('sets a standard queue apart; unset or empty leaves it to GONGKAI_POLLER_CONCURRENCY, the extract queue at twice that', () => {
    expect(queueConcurrencySetting({})).toEqual({ extract: 2 * machineConcurrency() });
    expect(queueConcurrencySetting({ GONGKAI_POLLER_CONCURRENCY: '3' })).toEqual({ extract: 6 });
    expect(queueConcurrencySetting({ GONGKAI_POLLER_CONCURRENCY: '1' })).toEqual({ extract: 1 });
    expect(queueConcurrencySetting({ GONGKAI_POLLER_CONCURRENCY: String(POLLER_CONCURRENCY_MAX) })).toEqual({ extract: POLLER_CONCURRENCY_MAX });
    expect(queueConcurrencySetting({ GONGKAI_POLLER_CONCURRENCY_EXTRACT: '3', GONGKAI_POLLER_CONCURRENCY_CHECK: '' })).toEqual({ extract: 3 });
    expect(queueConcurrencySetting({ GONGKAI_POLLER_CONCURRENCY_PUBLISH: ` ${POLLER_CONCURRENCY_MAX} ` }, 2)).toEqual({ extract: 4, publish: POLLER_CONCURRENCY_MAX });
  });

  it('has no setting for the FIFO site queue, which always runs one batch at a time', () => {
    expect(queueConcurrencySetting({ GONGKAI_POLLER_CONCURRENCY_SITE: '4' }, 2)).toEqual({ extract: 4 });
  });

  it.each(['0', 'four', '2.5', String(POLLER_CONCURRENCY_MAX + 1)])('refuses %j, naming the variable in Chinese and English', (raw) => {
    let caught: unknown;
    try {
      queueConcurrencySetting({ GONGKAI_POLLER_CONCURRENCY_EXTRACT: raw });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StartSettingError);
    const err = caught as StartSettingError;
    expect(err.variable).toBe('GONGKAI_POLLER_CONCURRENCY_EXTRACT');
    const [zh, en] = err.message.split('\n');
    expect(zh).toContain(`1 到 ${POLLER_CONCURRENCY_MAX} 之间的整数`);
    expect(en).toContain(`GONGKAI_POLLER_CONCURRENCY_EXTRACT="${raw}" is not valid`);
  });
});
