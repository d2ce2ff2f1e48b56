package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/server"
)

// config is everything the server binary can be told.
type config struct {
	Addr      string
	LogLevel  slog.Level
	LogFormat string
	Neo4j     neo4jstore.Config
	Server    server.Config
}

// setting is one configuration knob: a flag, its environment variable and its default.
type setting struct {
	flag, env, def, usage string
	secret                bool
	set                   func(c *config, v string) error
}

func settings() []setting {
	str := func(dst func(*config) *string) func(*config, string) error {
		return func(c *config, v string) error { *dst(c) = v; return nil }
	}
	dur := func(dst func(*config) *time.Duration) func(*config, string) error {
		return func(c *config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return fmt.Errorf("want a positive duration such as 30s or 2m, got %q", v)
			}
			*dst(c) = d
			return nil
		}
	}
	num := func(dst func(*config) *int) func(*config, string) error {
		return func(c *config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				return fmt.Errorf("want a positive integer, got %q", v)
			}
			*dst(c) = n
			return nil
		}
	}
	return []setting{
		{"addr", "GONGJIAN_ADDR", "127.0.0.1:8080", "HTTP listen address (host:port)", false,
			str(func(c *config) *string { return &c.Addr })},
		{"neo4j-uri", "NEO4J_URI", "bolt://127.0.0.1:7687", "Neo4j URI: bolt://, bolt+s://, neo4j:// (routing, for clusters), neo4j+s://", false,
			str(func(c *config) *string { return &c.Neo4j.URI })},
		{"neo4j-user", "NEO4J_USER", "", "Neo4j user; empty for no authentication (the bundled database)", false,
			str(func(c *config) *string { return &c.Neo4j.User })},
		{"neo4j-password", "NEO4J_PASSWORD", "", "Neo4j password (prefer the environment variable: flags show in ps)", true,
			str(func(c *config) *string { return &c.Neo4j.Password })},
		{"neo4j-database", "NEO4J_DATABASE", "neo4j", "Neo4j database name", false,
			str(func(c *config) *string { return &c.Neo4j.Database })},
		{"neo4j-query-timeout", "NEO4J_QUERY_TIMEOUT", "30s", "server-side timeout of each transaction", false,
			dur(func(c *config) *time.Duration { return &c.Neo4j.QueryTimeout })},
		{"neo4j-max-retry-time", "NEO4J_MAX_RETRY_TIME", "15s", "how long transient failures are retried before UNAVAILABLE", false,
			dur(func(c *config) *time.Duration { return &c.Neo4j.MaxRetryTime })},
		{"neo4j-max-connections", "NEO4J_MAX_CONNECTIONS", "100", "driver connection pool size", false,
			num(func(c *config) *int { return &c.Neo4j.MaxConnections })},
		{"aggregate-kinds", "GONGJIAN_AGGREGATE_KINDS", "PROVINCE,CITY,DISTRICT,COUNTY", "comma-separated kinds of place whose statistics are kept computed for today, refreshed after writes; none: no statistics kept", false,
			func(c *config, v string) error {
				c.Neo4j.AggregateKinds = nil
				if strings.EqualFold(strings.TrimSpace(v), "none") {
					return nil
				}
				for _, k := range strings.Split(v, ",") {
					if k = strings.TrimSpace(k); k == "" {
						continue
					}
					if !slices.Contains(graph.PlaceKinds, graph.PlaceKind(k)) {
						return fmt.Errorf("unknown place kind %q", k)
					}
					c.Neo4j.AggregateKinds = append(c.Neo4j.AggregateKinds, graph.PlaceKind(k))
				}
				return nil
			}},
		{"cors-origins", "GONGJIAN_CORS_ORIGINS", "", "comma-separated origins allowed to call the API from browsers (e.g. http://localhost:5173); * for any", false,
			func(c *config, v string) error {
				c.Server.CORSOrigins = nil
				for _, o := range strings.Split(v, ",") {
					if o = strings.TrimSpace(o); o != "" {
						if o != "*" && !strings.Contains(o, "://") {
							return fmt.Errorf("origin %q needs a scheme, such as https://%s", o, o)
						}
						c.Server.CORSOrigins = append(c.Server.CORSOrigins, o)
					}
				}
				return nil
			}},
		{"log-level", "GONGJIAN_LOG_LEVEL", "info", "log level: debug, info, warn, error", false,
			func(c *config, v string) error { return c.LogLevel.UnmarshalText([]byte(v)) }},
		{"log-format", "GONGJIAN_LOG_FORMAT", "text", "log format: text or json", false,
			func(c *config, v string) error {
				if v != "text" && v != "json" {
					return fmt.Errorf("want text or json, got %q", v)
				}
				c.LogFormat = v
				return nil
			}},
		{"max-complexity", "GONGJIAN_MAX_COMPLEXITY", "100000", "largest GraphQL query complexity accepted (about the number of values a query may return: each list counts its page size times what it selects)", false,
			num(func(c *config) *int { return &c.Server.MaxComplexity })},
		{"max-depth", "GONGJIAN_MAX_DEPTH", "15", "deepest GraphQL selection accepted", false,
			num(func(c *config) *int { return &c.Server.MaxDepth })},
		{"max-root-fields", "GONGJIAN_MAX_ROOT_FIELDS", "30", "most root fields (aliases included) one GraphQL operation may ask", false,
			num(func(c *config) *int { return &c.Server.MaxRootFields })},
		{"max-aliases", "GONGJIAN_MAX_ALIASES", "200", "most aliases one GraphQL operation may use", false,
			num(func(c *config) *int { return &c.Server.MaxAliases })},
		{"max-body-bytes", "GONGJIAN_MAX_BODY_BYTES", "1048576", "largest GraphQL request body accepted, in bytes (larger: 413)", false,
			func(c *config, v string) error {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil || n <= 0 {
					return fmt.Errorf("want a positive number of bytes, got %q", v)
				}
				c.Server.MaxBodyBytes = n
				return nil
			}},
		{"answer-cache-bytes", "GONGJIAN_ANSWER_CACHE_BYTES", "67108864", "memory for answers of read operations, kept until the next write (0: no answer cache)", false,
			func(c *config, v string) error {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil || n < 0 {
					return fmt.Errorf("want a number of bytes, got %q", v)
				}
				c.Server.AnswerCacheBytes = n
				if n == 0 {
					c.Server.AnswerCacheBytes = -1
				}
				return nil
			}},
		{"slow-operation", "GONGJIAN_SLOW_OPERATION", "1s", "operations that take this long or longer are logged as slow, with their statements' names", false,
			dur(func(c *config) *time.Duration { return &c.Server.SlowOperation })},
		{"admin-addr", "GONGJIAN_ADMIN_ADDR", "", "address of an admin listener for /metrics (then not on -addr) and, with -pprof, /debug/pprof/; empty: metrics at -addr/metrics", false,
			str(func(c *config) *string { return &c.Server.AdminAddr })},
		{"pprof", "GONGJIAN_PPROF", "false", "serve Go's profiler at /debug/pprof/ on -admin-addr (never on -addr)", false,
			func(c *config, v string) error {
				b, err := strconv.ParseBool(v)
				if err != nil {
					return fmt.Errorf("want true or false, got %q", v)
				}
				c.Server.Pprof = b
				return nil
			}},
		{"max-page-size", "GONGJIAN_MAX_PAGE_SIZE", "500", "largest page (first:) a list accepts", false,
			num(func(c *config) *int { return &c.Server.Pages.Max })},
		{"read-timeout", "GONGJIAN_READ_TIMEOUT", "30s", "HTTP read timeout (whole request)", false,
			dur(func(c *config) *time.Duration { return &c.Server.ReadTimeout })},
		{"write-timeout", "GONGJIAN_WRITE_TIMEOUT", "60s", "HTTP write timeout (response)", false,
			dur(func(c *config) *time.Duration { return &c.Server.WriteTimeout })},
		{"import-idle-timeout", "GONGJIAN_IMPORT_IDLE_TIMEOUT", "30s", "how long /import waits for the next bytes of its body (it is not bound by -read-timeout)", false,
			dur(func(c *config) *time.Duration { return &c.Server.ImportIdleTimeout })},
		{"ws-init-timeout", "GONGJIAN_WS_INIT_TIMEOUT", "10s", "how long a websocket may take to send connection_init (then it is closed with 4408)", false,
			dur(func(c *config) *time.Duration { return &c.Server.WSInitTimeout })},
		{"feed-poll-interval", "GONGJIAN_FEED_POLL_INTERVAL", "500ms", "how often the live change feed looks for new events (one statement per interval for all subscribers)", false,
			dur(func(c *config) *time.Duration { return &c.Server.FeedPollInterval })},
		{"idle-timeout", "GONGJIAN_IDLE_TIMEOUT", "120s", "HTTP keep-alive idle timeout", false,
			dur(func(c *config) *time.Duration { return &c.Server.IdleTimeout })},
		{"allow-writes", "GONGJIAN_ALLOW_WRITES", "false", "accept mutations and /import (until access control lands, only on a trusted network)", false,
			func(c *config, v string) error {
				b, err := strconv.ParseBool(v)
				c.Server.AllowWrites = b
				return err
			}},
		{"warm-plans", "GONGJIAN_WARM_PLANS", "true", "at start, have Neo4j plan the heaviest questions' statements (EXPLAIN: nothing is read), so that the first caller does not wait for their planning", false,
			func(c *config, v string) error {
				b, err := strconv.ParseBool(v)
				c.Server.WarmPlans = b
				return err
			}},
		{"anonymous", "GONGJIAN_ANONYMOUS", "off", "the role of callers without credentials (viewer, analyst, …), or off", false,
			func(c *config, v string) error {
				if v != "off" && !graph.Role(v).Valid() {
					return fmt.Errorf("want off or one of %v, got %q", graph.Roles, v)
				}
				c.Server.Auth.Anonymous = graph.Role(v)
				return nil
			}},
		{"anonymous-loopback-only", "GONGJIAN_ANONYMOUS_LOOPBACK_ONLY", "true", "admit anonymous callers from loopback addresses only", false,
			func(c *config, v string) error {
				b, err := strconv.ParseBool(v)
				c.Server.Auth.AnonymousLoopbackOnly = b
				return err
			}},
		{"jwt-secret", "GONGJIAN_JWT_SECRET", "", "shared secret that verifies HS256 tokens (claims: sub, role, places, systems, exp)", true,
			func(c *config, v string) error { c.Server.Auth.JWTSecret = v; return nil }},
		{"jwks-file", "GONGJIAN_JWKS_FILE", "", "JSON Web Key Set file whose RSA keys verify RS256 tokens", false,
			func(c *config, v string) error { c.Server.Auth.JWKSFile = v; return nil }},
		{"introspection-roles", "GONGJIAN_INTROSPECTION_ROLES", "", "comma-separated roles that may introspect the schema; empty: all", false,
			func(c *config, v string) error {
				c.Server.Auth.IntrospectionRoles = nil
				for _, r := range strings.Split(v, ",") {
					if r = strings.TrimSpace(r); r == "" {
						continue
					}
					if !graph.Role(r).Valid() {
						return fmt.Errorf("unknown role %q", r)
					}
					c.Server.Auth.IntrospectionRoles = append(c.Server.Auth.IntrospectionRoles, graph.Role(r))
				}
				return nil
			}},
		{"feed-retention", "GONGJIAN_FEED_RETENTION", "720h", "how long change events are kept; older cursors must bootstrap again", false,
			dur(func(c *config) *time.Duration { return &c.Server.FeedRetention })},
		{"shutdown-timeout", "GONGJIAN_SHUTDOWN_TIMEOUT", "30s", "on SIGTERM, how long in-flight requests may take to finish", false,
			dur(func(c *config) *time.Duration { return &c.Server.ShutdownTimeout })},
	}
}

// loadConfig reads flags, falling back to environment variables, falling back to defaults.
func loadConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	c.Server.Pages = graph.DefaultPageLimits
	fs := flag.NewFlagSet("gongjian", flag.ContinueOnError)
	fs.SetOutput(stderr)
	all := settings()
	values := make([]*string, len(all))
	for i, s := range all {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		values[i] = fs.String(s.flag, def, s.usage)
	}
	fs.Usage = func() { usage(stderr, all) }
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %v (run gongjian -h)", fs.Args())
	}
	for i, s := range all {
		if err := s.set(&c, *values[i]); err != nil {
			return c, fmt.Errorf("-%s / %s: %w", s.flag, s.env, err)
		}
	}
	if c.Server.Pprof && c.Server.AdminAddr == "" {
		return c, fmt.Errorf("-pprof / GONGJIAN_PPROF needs -admin-addr: the profiler is never served on the public address")
	}
	c.Server.Pages.Default = min(graph.DefaultPageLimits.Default, c.Server.Pages.Max)
	c.Server.ExpectedSchemaVersion = neo4jstore.SchemaVersion()
	return c, nil
}

func usage(w io.Writer, all []setting) {
	fmt.Fprintf(w, "gongjian serves the regional party-building graph (区域化党建) as a GraphQL API.\n\n")
	fmt.Fprintf(w, "Usage: gongjian [flags]\n\nEvery flag may instead be set by its environment variable; a flag wins.\n\n")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FLAG\tENVIRONMENT\tDEFAULT\tMEANING")
	for _, s := range all {
		def := s.def
		if def == "" {
			def = "(empty)"
		}
		fmt.Fprintf(tw, "-%s\t%s\t%s\t%s\n", s.flag, s.env, def, s.usage)
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "\nEndpoints: / (GraphiQL), /graphql (POST, GET, websocket), /healthz, /readyz.\n")
}

// logValue describes the configuration for the start-up log; secrets are shown only as set or not.
func (c config) logValue(all []setting) []any {
	values := map[string]string{
		"NEO4J_URI": c.Neo4j.URI, "NEO4J_USER": c.Neo4j.User, "NEO4J_DATABASE": c.Neo4j.Database,
		"GONGJIAN_ADDR": c.Addr, "GONGJIAN_CORS_ORIGINS": strings.Join(c.Server.CORSOrigins, ","),
	}
	secrets := map[string]string{"NEO4J_PASSWORD": c.Neo4j.Password, "GONGJIAN_JWT_SECRET": c.Server.Auth.JWTSecret}
	var out []any
	for _, s := range all {
		if s.secret {
			set := "unset"
			if secrets[s.env] != "" {
				set = "set"
			}
			out = append(out, s.env, set)
		} else if v, ok := values[s.env]; ok {
			out = append(out, s.env, v)
		}
	}
	return out
}

func newLogger(c config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}
