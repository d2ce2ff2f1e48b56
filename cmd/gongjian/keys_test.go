package main

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
)

// `gongjian keys` creates a key (shown once, stored hashed), lists it, and revokes it; a
// revoked key no longer authenticates.
func TestKeysSubcommand(t *testing.T) {
	uri := storetest.URI(t)
	env := func(k string) string {
		if k == "NEO4J_URI" {
			return uri
		}
		return ""
	}
	ctx := context.Background()
	name := "cli-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	var out, errs bytes.Buffer
	// An editor's places must exist.
	if err := runKeys(ctx, []string{"create", "-name", name, "-role", "editor", "-places", "place:keys:nowhere"}, env, &out, &errs); err == nil ||
		!strings.Contains(err.Error(), "place:keys:nowhere") {
		t.Fatalf("a key for a place that does not exist: %v", err)
	}
	store := storetest.Open(t, uri)
	if _, err := store.Apply(ctx, "test", []graph.Operation{
		{Op: graph.OpUpsertNode, NodeKind: graph.KindPlace, ID: "place:keys:a", Props: map[string]any{"name": "钥匙甲", "kind": "STREET"}},
		{Op: graph.OpUpsertNode, NodeKind: graph.KindPlace, ID: "place:keys:b", Props: map[string]any{"name": "钥匙乙", "kind": "STREET"}},
	}); err != nil {
		t.Fatal(err)
	}
	if err := runKeys(ctx, []string{"create", "-name", name, "-role", "editor", "-places", "place:keys:a, place:keys:b"}, env, &out, &errs); err != nil {
		t.Fatal(err, errs.String())
	}
	key := strings.TrimSpace(out.String())
	if !strings.HasPrefix(key, "gj_") {
		t.Fatalf("created key %q", key)
	}
	if n := storetest.Count(t, store, `MATCH (k:ApiKey {name: $n}) WHERE k.hash <> $key AND size(k.hash) = 64 RETURN count(k) AS n`,
		map[string]any{"n": name, "key": key}); n != 1 {
		t.Fatalf("the key is not stored as its hash")
	}
	p, err := store.Authenticate(ctx, key)
	if err != nil || p == nil || p.Role != "editor" || len(p.Places) != 2 {
		t.Fatalf("authenticate: %+v %v", p, err)
	}
	out.Reset()
	if err := runKeys(ctx, []string{"list"}, env, &out, &errs); err != nil || !strings.Contains(out.String(), name) {
		t.Fatalf("list: %v\n%s", err, out.String())
	}
	if err := runKeys(ctx, []string{"revoke", "-name", name}, env, &out, &errs); err != nil {
		t.Fatal(err)
	}
	if p, err := store.Authenticate(ctx, key); err != nil || p != nil {
		t.Fatalf("a revoked key authenticates: %+v %v", p, err)
	}
	if err := runKeys(ctx, []string{"create", "-name", name + "x", "-role", "editor"}, env, &out, &errs); err == nil {
		t.Errorf("an editor key without places was created")
	}
	if err := runKeys(ctx, []string{"create", "-name", name + "y", "-role", "emperor"}, env, &out, &errs); err == nil {
		t.Errorf("a key with an unknown role was created")
	}
}
