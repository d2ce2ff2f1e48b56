// GraphiQL for gongjian, bundled with its assets so that it works on closed networks.
import React from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { createClient } from 'graphql-ws';
import 'graphiql/style.css';

const endpoint = new URL('/graphql', window.location.href);
const wsEndpoint = new URL(endpoint);
wsEndpoint.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';

const fetcher = createGraphiQLFetcher({
  url: endpoint.toString(),
  wsClient: createClient({ url: wsEndpoint.toString(), lazy: true }),
});

// The first query an analyst sees: a tour of the four kinds of question, each explained. It
// runs clean on the demo data that `make run` loads (a browser test runs it); the ids are the
// demo's, and the search at the top finds the ids of anything else.
export const defaultQuery = `# gongjian: the regional party-building graph (区域化党建)
# Run it with the pink button or Ctrl-Enter. The
# documentation explorer (top left) describes every
# type, field and argument; Ctrl-Space completes. The
# ids below are the demo data's; search (1.) finds the
# ids of others.
query Tour {
  # 1. Search (搜索) any part of a name: places (地区),
  #    units (驻区单位), party organisations, committees,
  #    people. Each hit has an id to ask with.
  search(text: "朝阳", first: 5) {
    totalCount
    nodes { score node { id __typename name } }
  }

  # 2. Coverage (覆盖): which units cover 朝阳社区 and how.
  #    DIRECT ways work in the community itself (stationed
  #    there, a seat on its 大党委, a 结对共建 agreement);
  #    INDIRECT ones reach it from above (a seat on its
  #    street's 大工委). Each way comes with the path that
  #    proves it.
  coverage(place: "place:shangjie:chaoyang", first: 5) {
    totalCount
    unitCount
    nodes {
      kind
      level
      unit { name kind }
      path { length nodes { name } }
    }
  }

  # 3. Statistics (统计) of 中原区 as of today (give asOf:
  #    "2019-01-01" for another date): its communities,
  #    units, members, how many members report to a
  #    community other than their unit's (跨单位报到), and the
  #    coverage rate at each level, street by street in
  #    coverageByChild.
  statistics(place: "place:zhongyuan") {
    place { name }
    asOf
    communities
    units
    reportingMembers
    crossUnitReporters
    coverageByLevel { level coveredCommunities coverageRate }
    coverageByChild { place { name } directRate indirectRate }
  }

  # 4. A network (网络图) for graph libraries
  #    (cytoscape.js, graphology): the nodes and edges
  #    within one relationship of 朝阳社区, with their ids,
  #    kinds and ends as the libraries take them (a
  #    multigraph: two nodes may share several edges).
  #    /explore draws the same answers.
  neighbourhood(ids: ["place:shangjie:chaoyang"], limit: 15) {
    nodeCount
    edgeCount
    truncated
    nodes { id kind label subkind }
    edges { id kind source target }
  }
}
`;

createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: true }),
);
