// The peer of `make bench-peer`: @neo4j/graphql 7 with Apollo Server 5 over the same Neo4j and
// data as gongjian. Its type definitions map the same labels and relationship types; the
// analysts' questions are @cypher fields that carry gongjian's own statements, captured by the
// benchmark from gongjian itself and passed in the file named by PEER_STATEMENTS, so that the
// two systems send the same Cypher for them. Environment: NEO4J_URI, PORT, PEER_STATEMENTS, and
// PEER_CAPTURE: a file to which every statement the library compiles is appended, one JSON
// line each, for the benchmark to replay through the Go driver (a capturing peer is never the
// one measured).
import { appendFileSync, readFileSync } from "node:fs";
import net from "node:net";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const statements = JSON.parse(readFileSync(process.env.PEER_STATEMENTS, "utf8"));

// quote makes a GraphQL block string of a statement.
const quote = (s) => '"""' + s.replaceAll('"""', '\\"""') + '"""';

// answer is one of gongjian's statements with its last RETURN turned into a WITH, followed by
// a RETURN that projects those columns as the map the field's GraphQL type reads: what a user
// of @neo4j/graphql would paste into @cypher.
const answer = (name, projection) => {
  const s = statements[name];
  const last = s.lastIndexOf("\nRETURN ");
  if (last < 0) throw new Error(`the ${name} statement has no final RETURN`);
  return quote(`${s.slice(0, last)}\nWITH ${s.slice(last + "\nRETURN ".length)}\nRETURN ${projection} AS answer`);
};

const node = (x, fields) => `CASE WHEN ${x} IS NULL THEN null ELSE {${fields.map((f) => `${f}: ${x}.${f}`).join(", ")}} END`;
const counts = (x) => `[p IN ${x} | {kind: p[0], count: p[1]}]`;

const typeDefs = /* GraphQL */ `
  type Place @node(labels: ["Place", "Entity"]) {
    id: ID!
    name: String!
    kind: String!
    parent: Place @relationship(type: "PART_OF", direction: OUT)
    units: [Unit!]! @relationship(type: "STATIONED_IN", direction: IN)
    reportingMembers: [Person!]! @relationship(type: "REPORTS_TO", direction: IN)
  }
  type Unit @node(labels: ["Unit", "Entity"]) {
    id: ID!
    name: String!
    kind: String!
    seats: [Seat!]! @relationship(type: "HOLDS", direction: OUT)
    signedAgreements: [Agreement!]! @relationship(type: "PARTY_TO", direction: OUT)
  }
  type Seat @node(labels: ["Seat", "Entity"]) {
    id: ID!
    role: String
    committee: Committee @relationship(type: "SEAT_ON", direction: OUT)
  }
  type Committee @node(labels: ["Committee", "Entity"]) {
    id: ID!
    name: String!
    kind: String!
  }
  type Agreement @node(labels: ["Agreement", "Entity"]) {
    id: ID!
    title: String!
    signedOn: Date
  }
  type Person @node(labels: ["Person", "Entity"]) {
    id: ID!
    name: String!
    category: String
  }

  type Ref { id: ID! name: String kind: String category: String }
  type KindCount { kind: String count: Int! }
  type PathLength { length: Int! }
  type CoverageEntry { kind: String! level: String! unit: Ref! path: PathLength! }
  type CoverageAnswer { totalCount: Int! unitCount: Int! nodes: [CoverageEntry!]! }
  type Report { since: String points: Int }
  type CrossUnitReport { member: Ref! community: Ref! workUnit: Ref organisation: Ref relationship: Report! }
  type CrossUnitAnswer { found: Boolean! totalCount: Int! nodes: [CrossUnitReport!]! }
  type Gap { community: Ref! coveringUnits: Int! }
  type GapAnswer { found: Boolean! totalCount: Int! nodes: [Gap!]! }
  type Statistics {
    communities: Int! units: Int! members: Int! reportingMembers: Int! crossUnitReporters: Int!
    coverageRate: Float! agreements: Int! projects: Int! claims: Int!
    membersByCategory: [KindCount!]! projectsByStatus: [KindCount!]!
  }

  type Query {
    coverage(ids: [ID!]!, asOf: Date!, skip: Int!, limit: Int!, fromEnd: Boolean!): CoverageAnswer
      @cypher(statement: ${answer("coverage", `{totalCount: total, unitCount: units, nodes: [r IN page |
        {kind: r.kind, level: r.level, unit: ${node("r.u", ["id", "name", "kind"])}, path: {length: coalesce(r.hops, size(r.rs))}}]}`)}, columnName: "answer")
    crossUnitReporting(within: ID!, asOf: Date!, skip: Int!, limit: Int!, fromEnd: Boolean!): CrossUnitAnswer
      @cypher(statement: ${answer("crossUnitReporting", `{found: found, totalCount: total, nodes: [x IN page |
        {member: ${node("x[0]", ["id", "name", "category"])}, community: ${node("x[2]", ["id", "name"])},
         workUnit: ${node("x[3]", ["id", "name", "kind"])}, organisation: ${node("x[4]", ["id", "name"])},
         relationship: {since: toString(x[1].since), points: x[1].points}}]}`)}, columnName: "answer")
    coverageGaps(within: ID!, min: Int!, levels: [String!]!, asOf: Date!, skip: Int!, limit: Int!, fromEnd: Boolean!): GapAnswer
      @cypher(statement: ${answer("coverageGaps", `{found: found, totalCount: total, nodes: [x IN page |
        {community: ${node("x[0]", ["id", "name"])}, coveringUnits: x[1]}]}`)}, columnName: "answer")
    statistics(within: ID!, levels: [String!]!, asOf: Date!): Statistics
      @cypher(statement: ${answer("statistics", `{communities: communities,
        units: reduce(n = 0, p IN unitsByKind | n + p[1]), members: reduce(n = 0, p IN membersByCategory | n + p[1]),
        reportingMembers: reporting, crossUnitReporters: crossUnit,
        coverageRate: CASE WHEN communities + villages = 0 THEN 0.0 ELSE toFloat(covered) / (communities + villages) END,
        agreements: agreements, projects: projects, claims: claims,
        membersByCategory: ${counts("membersByCategory")}, projectsByStatus: ${counts("projectsByStatus")}}`)}, columnName: "answer")
  }
`;

// The JavaScript driver leaves Nagle's algorithm on, and writes a statement longer than its
// 1,400-byte chunk in several writes: every such statement (the analysts' questions all are)
// then waits about 40 ms for the server's delayed ACK. Unless PEER_NAGLE=1 asks for the driver
// as shipped, its sockets get TCP_NODELAY, so that the comparison measures the libraries, not
// this.
if (process.env.PEER_NAGLE !== "1") {
  const connect = net.connect;
  net.connect = (...args) => connect(...args).setNoDelay(true);
}

// tagged writes a parameter value as JSON that keeps the driver's types: an Integer as
// {"$int": "…"} and a Date as {"$date": "…"}; a JavaScript number goes to Neo4j as a Float,
// and stays a JSON number.
const tagged = (v) => {
  if (neo4j.isInt(v)) return { $int: v.toString() };
  if (neo4j.isDate(v)) return { $date: v.toString() };
  if (Array.isArray(v)) return v.map(tagged);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, tagged(x)]));
  return v;
};

// capturing wraps the driver so that every statement run in a read transaction is appended to
// the file, before it runs.
const capturing = (driver, file) =>
  new Proxy(driver, {
    get(target, prop) {
      if (prop !== "session") {
        const v = Reflect.get(target, prop);
        return typeof v === "function" ? v.bind(target) : v;
      }
      return (...args) => {
        const session = target.session(...args);
        const executeRead = session.executeRead.bind(session);
        session.executeRead = (work, config) =>
          executeRead((tx) => {
            const run = tx.run.bind(tx);
            tx.run = (cypher, params) => {
              appendFileSync(file, JSON.stringify({ cypher, params: tagged(params ?? {}) }) + "\n");
              return run(cypher, params);
            };
            return work(tx);
          }, config);
        return session;
      };
    },
  });

const base = neo4j.driver(process.env.NEO4J_URI, neo4j.auth.basic("neo4j", "neo4j"), { disableLosslessIntegers: true });
const driver = process.env.PEER_CAPTURE ? capturing(base, process.env.PEER_CAPTURE) : base;
const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
const server = new ApolloServer({ schema });
const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT || 4000), host: "127.0.0.1" } });
console.log(`peer listening at ${url}`);
