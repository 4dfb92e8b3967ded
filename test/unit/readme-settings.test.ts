import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { topology, type QueueName } from '#shared/topology';

/**
 * Issue 10, item 9: every GONGKAI_* variable the code reads is documented in the README's
 * "Local settings", so the table cannot fall behind the code.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));

/** The standard (not FIFO) queues with a consumer: each has its own poller setting. */
const STANDARD_QUEUES = (Object.keys(topology.queues) as QueueName[]).filter((q) => 'consumer' in topology.queues[q] && !('fifo' in topology.queues[q] && topology.queues[q].fifo));

async function* sources(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (/\.(ts|js|mjs)$/.test(e.name)) yield p;
  }
}

describe('README local settings', () => {
  it('name every GONGKAI_* variable the code reads', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const used = new Set<string>();
    for (const dir of ['shared', 'functions', 'infra', 'bench', 'test', 'web']) {
      for await (const file of sources(join(root, dir))) {
        const text = await readFile(file, 'utf8');
        for (const m of text.matchAll(/GONGKAI_[A-Z0-9_]*[A-Z0-9]/g)) used.add(m[0]);
        // Templated names: GONGKAI_PORT_${name} stands for each port variable.
        if (text.includes('GONGKAI_PORT_${')) for (const p of ['API', 'SITE', 'S3', 'DYNAMODB', 'SQS']) used.add(`GONGKAI_PORT_${p}`);
        // GONGKAI_POLLER_CONCURRENCY_${queue} stands for each standard queue's.
        if (text.includes('GONGKAI_POLLER_CONCURRENCY_${')) for (const q of STANDARD_QUEUES) used.add(`GONGKAI_POLLER_CONCURRENCY_${q.toUpperCase()}`);
      }
    }
    used.delete('GONGKAI_PORT');
    expect(used.size).toBeGreaterThan(5);
    const missing = [...used].filter((v) => !readme.includes(`\`${v}\``)).sort();
    expect(missing).toEqual([]);
  });
});
