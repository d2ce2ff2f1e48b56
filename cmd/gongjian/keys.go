package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
)

// runKeys is the `gongjian keys` subcommand: create, list and revoke API keys. It talks to
// Neo4j directly (NEO4J_URI), so it needs no key of its own.
func runKeys(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	usage := "usage: gongjian keys create -name N -role R [-places id,id] [-systems s,s] [-reads own|all] | keys list | keys revoke -name N"
	if len(args) == 0 {
		return fmt.Errorf("%s", usage)
	}
	fs := flag.NewFlagSet("keys "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "", "the key's name")
	role := fs.String("role", "", fmt.Sprintf("the key's role: %v", graph.Roles))
	places := fs.String("places", "", "for editors: comma-separated ids of the places (and everything under them) it may change")
	systems := fs.String("systems", "", "for integrators: comma-separated source systems whose records it may push")
	reads := fs.String("reads", "own", "for integrators: the records it reads in the feed and the export: own (its systems') or all")
	uri := fs.String("neo4j-uri", or(getenv("NEO4J_URI"), "bolt://127.0.0.1:7687"), "Neo4j URI (NEO4J_URI)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	store, err := neo4jstore.Open(neo4jstore.Config{URI: *uri, Database: getenv("NEO4J_DATABASE"), User: getenv("NEO4J_USER"),
		Password: getenv("NEO4J_PASSWORD")}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer store.Close(ctx)
	if err := store.EnsureSchema(ctx); err != nil {
		return err
	}
	switch args[0] {
	case "create":
		if *name == "" {
			return fmt.Errorf("a key needs a -name")
		}
		if *reads != "own" && *reads != "all" {
			return fmt.Errorf("-reads is own or all, not %q", *reads)
		}
		key, err := store.CreateKey(ctx, neo4jstore.APIKey{Name: *name, Role: graph.Role(*role), Places: split(*places), Systems: split(*systems),
			ReadsAll: *reads == "all"})
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "created key %q (%s); it is shown once: keep it now\n", *name, *role)
		fmt.Fprintln(stdout, key)
	case "list":
		keys, err := store.Keys(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tPLACES\tSYSTEMS\tREADS\tCREATED\tREVOKED")
		for _, k := range keys {
			revoked := "-"
			if k.RevokedAt != nil {
				revoked = k.RevokedAt.Format("2006-01-02 15:04")
			}
			reads := "-"
			if k.Role == graph.RoleIntegrator {
				reads = "own"
				if k.ReadsAll {
					reads = "all"
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k.Name, k.Role, strings.Join(k.Places, ","), strings.Join(k.Systems, ","), reads,
				k.CreatedAt.Format("2006-01-02 15:04"), revoked)
		}
		return tw.Flush()
	case "revoke":
		if err := store.RevokeKey(ctx, *name); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "revoked key %q\n", *name)
	default:
		return fmt.Errorf("%s", usage)
	}
	return nil
}

func split(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
