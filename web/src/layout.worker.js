// The explorer's force layout, run in a web worker so that the page stays responsive: it
// receives nodes (with their first positions; `fixed` ones stay put) and links, runs a d3-force
// simulation, and posts positions back a few times and once more when it is done. The ticks
// are bounded (the first positions are already rings), so 500 nodes settle in well under a
// second of worker time.
import { forceSimulation, forceLink, forceManyBody, forceCenter, forceCollide } from 'd3-force';

self.onmessage = (msg) => {
  const { nodes, links } = msg.data;
  const n = nodes.length;
  let moving = 0;
  for (const d of nodes) {
    if (d.fixed) { d.fx = d.x; d.fy = d.y; } else moving++;
  }
  const sim = forceSimulation(nodes)
    .force('link', forceLink(links).id((d) => d.id).distance(45).strength(0.5))
    .force('charge', forceManyBody().strength(n > 1000 ? -50 : -140).theta(1.2).distanceMax(500))
    .force('collide', forceCollide(14).iterations(1))
    .alphaDecay(0.035)
    .stop();
  // An expansion only settles its new nodes among the fixed ones; the centre force would pull
  // the whole drawing away from where the user is looking.
  if (moving === n) sim.force('center', forceCenter(0, 0));
  const ticks = n > 1500 ? 120 : 180;
  const post = (done) => self.postMessage({ done, positions: nodes.map((d) => [d.id, d.x, d.y]) });
  for (let i = 0; i < ticks; i++) {
    sim.tick();
    if (i % 60 === 59 && i < ticks - 1) post(false);
  }
  post(true);
};
