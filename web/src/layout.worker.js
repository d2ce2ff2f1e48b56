// The explorer's force layout, run in a web worker so that the page stays responsive: it
// receives nodes (with their first positions) and links, runs a d3-force simulation, and posts
// positions back every few ticks and once more when it is done.
import { forceSimulation, forceLink, forceManyBody, forceCenter, forceCollide } from 'd3-force';

self.onmessage = (msg) => {
  const { nodes, links } = msg.data;
  const n = nodes.length;
  const sim = forceSimulation(nodes)
    .force('link', forceLink(links).id((d) => d.id).distance(40).strength(0.6))
    .force('charge', forceManyBody().strength(n > 1000 ? -40 : -120).theta(1.2).distanceMax(600))
    .force('collide', forceCollide(12))
    .force('center', forceCenter(0, 0))
    .stop();
  const ticks = n > 1500 ? 120 : 250;
  const post = (done) => self.postMessage({ done, positions: nodes.map((d) => [d.id, d.x, d.y]) });
  for (let i = 0; i < ticks; i++) {
    sim.tick();
    if (i % 40 === 39) post(false);
  }
  post(true);
};
