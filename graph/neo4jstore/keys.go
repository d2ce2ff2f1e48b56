package neo4jstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gongjian/gongjian/graph"
)

// APIKey describes a key; the key itself is shown once, when it is made, and stored only as
// its SHA-256 hash.
type APIKey struct {
	Name      string
	Role      graph.Role
	Places    []string
	Systems   []string
	ReadsAll  bool // an integrator that reads every system's records in the feed and the export
	CreatedAt time.Time
	RevokedAt *time.Time
}

func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// CreateKey makes an API key and returns it; only its hash is stored.
func (s *Store) CreateKey(ctx context.Context, k APIKey) (string, error) {
	if !k.Role.Valid() {
		return "", graph.FieldError("role", "unknown role %q (known: %v)", k.Role, graph.Roles)
	}
	if k.Role == graph.RoleEditor && len(k.Places) == 0 {
		return "", graph.FieldError("places", "an editor needs the places it may change")
	}
	if k.Role == graph.RoleIntegrator && len(k.Systems) == 0 {
		return "", graph.FieldError("systems", "an integrator needs the systems whose records it pushes")
	}
	buf := make([]byte, 24)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	key := "gj_" + hex.EncodeToString(buf)
	err := s.Write(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, `UNWIND $places AS id OPTIONAL MATCH (p:Entity {id: id}) WHERE p:Place WITH id WHERE p IS NULL RETURN collect(id) AS missing`,
			map[string]any{"places": nonNil(k.Places)})
		if err != nil {
			return err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return err
		}
		if v, _ := rec.Get("missing"); len(graph.StringList(v)) > 0 {
			return graph.FieldError("places", "no place has the id %q: an editor's places must exist", graph.StringList(v)[0])
		}
		_, err = tx.Run(ctx, `CREATE (:ApiKey {name: $name, hash: $hash, role: $role, places: $places, systems: $systems, readsAll: $readsAll, createdAt: datetime()})`,
			map[string]any{"name": k.Name, "hash": hashKey(key), "role": string(k.Role), "places": nonNil(k.Places), "systems": nonNil(k.Systems),
				"readsAll": k.ReadsAll})
		return err
	})
	if err != nil {
		return "", err
	}
	return key, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Keys lists the keys, revoked ones too.
func (s *Store) Keys(ctx context.Context) ([]APIKey, error) {
	var out []APIKey
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, `MATCH (k:ApiKey) RETURN k ORDER BY k.name`, nil)
		if err != nil {
			return err
		}
		for res.Next(ctx) {
			v, _ := res.Record().Get("k")
			out = append(out, toKey(toNode2(v)))
		}
		return res.Err()
	})
	return out, err
}

// RevokeKey revokes the key of that name.
func (s *Store) RevokeKey(ctx context.Context, name string) error {
	return s.Write(ctx, func(ctx context.Context, tx Tx) error {
		n, err := singleInt(ctx, tx, `MATCH (k:ApiKey {name: $name}) WHERE k.revokedAt IS NULL SET k.revokedAt = datetime() RETURN count(k) AS n`,
			map[string]any{"name": name})
		if err == nil && n == 0 {
			return &graph.Error{Code: graph.NotFound, Field: "name", Message: fmt.Sprintf("no live key is named %q", name)}
		}
		return err
	})
}

// Authenticate returns the principal of a key, or nil when the key is unknown or revoked.
func (s *Store) Authenticate(ctx context.Context, key string) (*graph.Principal, error) {
	var p *graph.Principal
	err := s.Read(ctx, func(ctx context.Context, tx Tx) error {
		res, err := tx.Run(ctx, `MATCH (k:ApiKey {hash: $hash}) WHERE k.revokedAt IS NULL RETURN k`, map[string]any{"hash": hashKey(key)})
		if err != nil {
			return err
		}
		if res.Next(ctx) {
			v, _ := res.Record().Get("k")
			k := toKey(toNode2(v))
			p = &graph.Principal{Name: k.Name, Role: k.Role, Places: k.Places, Systems: k.Systems, ReadsAll: k.ReadsAll}
		}
		return res.Err()
	})
	return p, err
}

func toNode2(v any) map[string]any {
	if n, ok := v.(dbtype.Node); ok {
		return n.Props
	}
	return nil
}

func toKey(props map[string]any) APIKey {
	k := APIKey{}
	k.Name, _ = props["name"].(string)
	role, _ := props["role"].(string)
	k.Role = graph.Role(role)
	k.Places = graph.StringList(props["places"])
	k.Systems = graph.StringList(props["systems"])
	k.ReadsAll, _ = props["readsAll"].(bool)
	if t, ok := props["createdAt"].(time.Time); ok {
		k.CreatedAt = t
	}
	if t, ok := props["revokedAt"].(time.Time); ok {
		k.RevokedAt = &t
	}
	return k
}
