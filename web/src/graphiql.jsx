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

// The first query an analyst sees: it must run clean on any gongjian (a browser test runs it).
export const defaultQuery = `# gongjian: the regional party-building graph (区域化党建)
# Run with the pink button or Ctrl-Enter. The documentation
# explorer (top left) shows the whole schema: places, units,
# party organisations, committees and their seats,
# co-building agreements, members, and the analysts' questions.
{
  serviceStatus {
    ready
    database { reachable version edition schemaVersion }
  }
  # Search any part of a name: communities (社区), units, people.
  search(text: "社区", first: 5) {
    totalCount
    nodes {
      score
      node { id __typename ... on Place { name kind } }
    }
  }
}
`;

createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: true }),
);
