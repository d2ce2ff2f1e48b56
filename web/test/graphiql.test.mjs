// GraphiQL as an analyst first sees it: the page loads with its default query, which runs clean.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, base, out } from './browser.mjs';

let browser;
let page;

before(async () => { ({ browser, page } = await launch()); });

after(async () => { await browser?.close(); });

test('GraphiQL opens on a default query that runs without errors', async () => {
  // A fresh profile: no query kept from an earlier visit.
  await page.goto(base + '/');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.locator('.graphiql-execute-button').waitFor({ timeout: 30000 });
  const query = await page.evaluate(() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue());
  assert.match(query, /serviceStatus/);
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(() => {
    const cm = document.querySelector('.result-window .CodeMirror');
    return cm && cm.CodeMirror.getValue().includes('"data"');
  }, null, { timeout: 30000 });
  const result = JSON.parse(await page.evaluate(() => document.querySelector('.result-window .CodeMirror').CodeMirror.getValue()));
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  assert.equal(result.data.serviceStatus.ready, true);
  assert.ok(result.data.search.totalCount > 0, 'the default search finds nothing in the demo data');
  await page.screenshot({ path: `${out}/graphiql-default.png` });
});
