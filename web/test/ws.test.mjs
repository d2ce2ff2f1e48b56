// The live feed with graphql-ws's own client (npm graphql-ws, createClient), as integrators'
// scripts and the frontend use it: a bad key reaches the application as an error and the
// client stops reconnecting; a good key receives live `changes` events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { base } from './browser.mjs';

const url = base.replace(/^http/, 'ws') + '/graphql';

// subscribe runs one subscription and resolves with what the application saw.
function subscribe(client, query, variables, until) {
  return new Promise((resolve) => {
    const seen = [];
    const stop = client.subscribe({ query, variables }, {
      next: (v) => { seen.push(v); if (until(seen)) { stop(); resolve({ seen }); } },
      error: (err) => resolve({ seen, error: err }),
      complete: () => resolve({ seen, completed: true }),
    });
  });
}

test('a bad key reaches the application as an error, and the client stops reconnecting', async () => {
  for (const retryAttempts of [0, 2]) {
    let connections = 0;
    const client = createClient({
      url, webSocketImpl: WebSocket, retryAttempts, retryWait: async () => {},
      connectionParams: { 'x-api-key': 'gj_not-a-key' },
      on: { connecting: () => { connections++; } },
    });
    const r = await subscribe(client, 'subscription { changes { seq } }', {}, () => true);
    assert.ok(r.error, 'no error reached the application');
    assert.equal(r.error.code, 4403, `closed with ${r.error.code} ${r.error.reason}`);
    assert.equal(connections, retryAttempts + 1, `${connections} connections with retryAttempts ${retryAttempts}`);
    console.log(`graphql-ws client, bad key, retryAttempts ${retryAttempts}: error ${r.error.code} after ${connections} connection(s)`);
    await client.dispose();
  }
});

test('a good key receives live changes events', async () => {
  const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { 'x-api-key': process.env.GONGJIAN_INTEGRATOR_KEY } });
  // A write of our own gives the cursor to start after, then a second write is the event to see.
  const write = async (name) => {
    const res = await fetch(base + '/graphql', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Api-Key': process.env.GONGJIAN_ADMIN_KEY },
      body: JSON.stringify({ query: `mutation($n: String!) { upsertNode(nodeKind: PLACE, id: "place:webtest:live", properties: {name: $n, kind: "GRID"}) { events { seq } } }`, variables: { n: name } }),
    });
    const body = await res.json();
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    return body.data.upsertNode.events[0].seq;
  };
  const first = await write('起点' + Date.now());
  const name = '实时' + Date.now();
  const got = subscribe(client, 'subscription($a: String) { changes(after: $a) { seq id changes { field after } } }', { a: String(first) },
    (seen) => seen.some((v) => JSON.stringify(v).includes(name)));
  const second = await write(name);
  const r = await got;
  assert.equal(r.error, undefined, String(r.error?.reason ?? r.error));
  const last = r.seen.at(-1).data.changes;
  assert.equal(last.seq, second);
  assert.equal(last.id, 'place:webtest:live');
  await client.dispose();
});
