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

const defaultQuery = `# gongjian: the regional party-building graph (区域化党建).
# Open the documentation explorer (top left) to browse the schema.
{
  serviceStatus {
    ready
    neo4j { reachable version edition }
    schemaVersion
  }
}
`;

createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: true }),
);
