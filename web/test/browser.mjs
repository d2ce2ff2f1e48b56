// The browser of the tests: Debian's headless Chromium driven by playwright-core, and the API
// that web/test/run.sh serves (GONGJIAN_URL).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const base = process.env.GONGJIAN_URL;
export const out = process.env.TEST_OUTPUT || '../test-output';

// launch opens a page in a new headless Chromium; a page error fails the test.
export async function launch() {
  assert.ok(base, 'GONGJIAN_URL is not set: run web/test/run.sh');
  mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (err) => { throw err; });
  return { browser, page };
}

// api posts a GraphQL query and fails on any error.
export async function api(query, variables) {
  const res = await fetch(base + '/graphql', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}
