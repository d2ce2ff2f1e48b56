// The README's example queries run as they stand: every ```graphql block, against the demo data,
// without errors and with something in each answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { api } from './browser.mjs';

test('every GraphQL example in the README runs without errors on the demo data', async () => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 2, `only ${blocks.length} examples found`);
  for (const query of blocks) {
    const data = await api(query); // fails on any error
    for (const [field, value] of Object.entries(data)) {
      assert.ok(value !== null && JSON.stringify(value).length > 20, `${field} answered nothing:\n${query}`);
    }
  }
});
