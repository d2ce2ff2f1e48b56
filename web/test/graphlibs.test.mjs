// Network answers as a visualisation frontend takes them: fetched with urql (@urql/core), loaded
// into graphology's MultiGraph and into headless cytoscape.js with the obvious mapping (the
// element's own fields and its properties spread side by side), nothing reshaped. Each answer's
// nodes and edges arrive whole, no element field is overwritten by a property, and the answers
// that are multigraphs (a person LIVES_IN and REPORTS_TO one community) keep every edge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, cacheExchange, fetchExchange, gql } from '@urql/core';
import { MultiGraph } from 'graphology';
import cytoscape from 'cytoscape';
import { base } from './browser.mjs';

const client = new Client({ url: base + '/graphql', exchanges: [cacheExchange, fetchExchange], preferGetMethod: false });

const NETWORK = 'nodes { id kind label subkind provenance { kind source quote } properties } edges { id kind source target provenance { kind source } properties } truncated';

// Six answers of the shapes the frontend draws.
const ANSWERS = {
  '朝阳社区 depth 2': gql`query { n: neighbourhood(ids: ["place:shangjie:chaoyang"], depth: 2) { ${NETWORK} } }`,
  '金凤路社区 depth 1': gql`query { n: neighbourhood(ids: ["place:xinmi:jinfenglu"], depth: 1) { ${NETWORK} } }`,
  '新华路街道 subgraph': gql`query { n: subgraph(place: "place:xinmi:xinhualu") { ${NETWORK} } }`,
  '中心路街道 units and seats': gql`query { n: subgraph(place: "place:shangjie:zhongxinlu", nodeKinds: [PLACE, UNIT, SEAT, COMMITTEE]) { ${NETWORK} } }`,
  '东方娃幼儿园 depth 2': gql`query { n: neighbourhood(ids: ["unit:xinmi:dongfangwa"], depth: 2) { ${NETWORK} } }`,
  'coverage of 朝阳社区': gql`query { c: coverage(place: "place:shangjie:chaoyang", first: 500) { graph { ${NETWORK} } } }`,
};

async function answer(name) {
  const res = await client.query(ANSWERS[name], {}).toPromise();
  assert.equal(res.error, undefined, `${name}: ${res.error?.message}`);
  const net = res.data.n ?? res.data.c.graph;
  assert.ok(net.nodes.length > 1, `${name}: ${net.nodes.length} nodes`);
  assert.ok(net.edges.length > 0, `${name}: no edges`);
  return net;
}

const RESERVED = ['id', 'kind', 'source', 'target', 'quote', 'externalId'];

test('network answers import untouched into graphology MultiGraph and headless cytoscape', async () => {
  let multi = 0;
  for (const name of Object.keys(ANSWERS)) {
    const net = await answer(name);
    // Properties never hold an element's own field, nor an empty key.
    for (const el of [...net.nodes, ...net.edges]) {
      for (const k of RESERVED) assert.ok(!(k in el.properties), `${name}: ${el.id} has ${k} among its properties`);
      assert.notEqual(el.properties.key, '', `${name}: ${el.id} has an empty key`);
      assert.ok(el.provenance.source, `${name}: ${el.id} has no provenance`);
    }

    // graphology: the element first, its properties beside it.
    const g = new MultiGraph();
    for (const n of net.nodes) g.addNode(n.id, { ...n.properties, ...n });
    for (const e of net.edges) g.addEdgeWithKey(e.id, e.source, e.target, { ...e.properties, ...e });
    assert.equal(g.order, net.nodes.length, `${name}: graphology nodes`);
    assert.equal(g.size, net.edges.length, `${name}: graphology edges`);
    // The other order (properties spread last) loses nothing either.
    for (const n of net.nodes) {
      const attrs = { ...n, ...n.properties };
      assert.equal(attrs.kind, n.kind, `${name}: ${n.id}'s kind overwritten`);
      assert.equal(attrs.id, n.id);
    }
    let parallel = 0;
    g.forEachNode((node) => {
      const seen = new Map();
      g.forEachOutEdge(node, (_, __, ___, target) => seen.set(target, (seen.get(target) || 0) + 1));
      for (const c of seen.values()) if (c > 1) parallel += 1;
    });
    if (parallel > 0) multi += 1;

    // cytoscape, headless: data is the element with its properties, properties spread last.
    const cy = cytoscape({
      headless: true,
      elements: [
        ...net.nodes.map((n) => ({ group: 'nodes', data: { ...n, ...n.properties } })),
        ...net.edges.map((e) => ({ group: 'edges', data: { ...e, ...e.properties } })),
      ],
    });
    assert.equal(cy.nodes().length, net.nodes.length, `${name}: cytoscape nodes`);
    assert.equal(cy.edges().length, net.edges.length, `${name}: cytoscape edges`);
    for (const e of net.edges.slice(0, 50)) {
      const el = cy.getElementById(e.id);
      assert.equal(el.source().id(), e.source, `${name}: ${e.id}'s source`);
      assert.equal(el.target().id(), e.target, `${name}: ${e.id}'s target`);
      assert.equal(el.data('kind'), e.kind);
    }
    cy.destroy();
    console.log(`# ${name}: ${net.nodes.length} nodes, ${net.edges.length} edges, ${parallel} parallel pairs`);
  }
  assert.ok(multi > 0, 'no answer was a multigraph: the MultiGraph check tested nothing');
});
