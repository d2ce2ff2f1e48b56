// GraphQL over HTTP as graphql-http's audit checks it (npm graphql-http, auditServer): every
// MUST and SHOULD passes; the counts per level are printed for the record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditServer } from 'graphql-http';
import { base } from './browser.mjs';

test('graphql-http audit: every MUST and SHOULD passes', async () => {
  const results = await auditServer({ url: base + '/graphql', fetchFn: fetch });
  const counts = {};
  const failed = [];
  for (const r of results) {
    const level = r.name.split(' ')[0];
    counts[level] ??= { ok: 0, notice: 0, warn: 0, error: 0 };
    counts[level][r.status] += 1;
    if (r.status !== 'ok' && level !== 'MAY') failed.push(`${r.status}: ${r.name}: ${r.reason}`);
  }
  for (const [level, c] of Object.entries(counts)) {
    console.log(`graphql-http audit ${level}: ${c.ok}/${c.ok + c.notice + c.warn + c.error} ok`);
  }
  assert.deepEqual(failed, []);
});
