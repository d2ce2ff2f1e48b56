package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	coderws "github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
	"github.com/gongjian/gongjian/server"
)

// wsDial opens a graphql-transport-ws connection.
func wsDial(t *testing.T, ctx context.Context, url string) *coderws.Conn {
	t.Helper()
	ws, _, err := coderws.Dial(ctx, strings.Replace(url, "http", "ws", 1)+"/graphql", &coderws.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.CloseNow() })
	return ws
}

// closeCode reads until the server closes the connection and returns the close code.
func closeCode(ctx context.Context, ws *coderws.Conn) (coderws.StatusCode, string) {
	for {
		var m map[string]any
		if err := wsjson.Read(ctx, ws, &m); err != nil {
			var ce coderws.CloseError
			if errors.As(err, &ce) {
				return ce.Code, ce.Reason
			}
			return -1, err.Error()
		}
	}
}

// Each breach of the graphql-transport-ws protocol closes the connection with its own code.
func TestWebsocketCloseCodes(t *testing.T) {
	srv := start(t, "", server.Config{AllowWrites: true, WSInitTimeout: 500 * time.Millisecond, Auth: server.AuthConfig{Anonymous: "off"}})
	keys := makeKeys(t)
	ctx, cancel := context.WithTimeout(context.Background(), storetest.Patience(time.Minute, 0))
	defer cancel()
	init := func(key string) map[string]any {
		return map[string]any{"type": "connection_init", "payload": map[string]any{"x-api-key": key}}
	}
	sub := func(id string) map[string]any {
		return map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": `subscription { changes { seq } }`}}
	}
	for _, c := range []struct {
		name string
		send []any
		want coderws.StatusCode
	}{
		{"a bad key", []any{init("gj_nope")}, 4403},
		{"no key", []any{map[string]any{"type": "connection_init"}}, 4403},
		{"subscribe before the ack", []any{sub("1")}, 4401},
		{"a second init", []any{init(keys["admin"]), init(keys["admin"])}, 4429},
		{"not JSON", []any{"{ nope"}, 4400},
		{"an unknown type", []any{init(keys["admin"]), map[string]any{"type": "hello"}}, 4400},
		{"a subscribe without an id", []any{init(keys["admin"]), map[string]any{"type": "subscribe", "payload": map[string]any{"query": "{ __typename }"}}}, 4400},
		{"a subscriber id in use", []any{init(keys["admin"]), sub("1"), sub("1")}, 4409},
		{"no init at all", nil, 4408},
	} {
		ws := wsDial(t, ctx, srv.URL)
		for _, m := range c.send {
			var err error
			if s, ok := m.(string); ok {
				err = ws.Write(ctx, coderws.MessageText, []byte(s))
			} else {
				err = wsjson.Write(ctx, ws, m)
			}
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
		}
		if code, reason := closeCode(ctx, ws); code != c.want {
			t.Errorf("%s: closed with %d %q, want %d", c.name, code, reason, c.want)
		} else {
			storetest.Record(t, "websocket close code for %s: %d %s", c.name, code, reason)
		}
	}
}

// A subscription ends with an error when its key is revoked, and the socket closes (4403).
func TestWebsocketEndsWhenTheKeyIsRevoked(t *testing.T) {
	srv := start(t, "", server.Config{AllowWrites: true, WSRecheck: 500 * time.Millisecond, Auth: server.AuthConfig{Anonymous: "off"}})
	store := storetest.Open(t, "")
	key, err := store.CreateKey(context.Background(), neo4jstore.APIKey{Name: "revoked-" + randomSuffix(), Role: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), storetest.Patience(time.Minute, 0))
	defer cancel()
	ws := wsDial(t, ctx, srv.URL)
	var m map[string]any
	if err := wsjson.Write(ctx, ws, map[string]any{"type": "connection_init", "payload": map[string]any{"x-api-key": key}}); err != nil {
		t.Fatal(err)
	}
	if err := wsjson.Read(ctx, ws, &m); err != nil || m["type"] != "connection_ack" {
		t.Fatalf("init: %v %v", m, err)
	}
	if err := wsjson.Write(ctx, ws, map[string]any{"id": "s", "type": "subscribe", "payload": map[string]any{"query": `subscription { changes { seq } }`}}); err != nil {
		t.Fatal(err)
	}
	keys, _ := store.Keys(context.Background())
	for _, k := range keys {
		if strings.HasPrefix(k.Name, "revoked-") && k.RevokedAt == nil {
			_ = store.RevokeKey(context.Background(), k.Name)
		}
	}
	sawError := false
	for {
		if err := wsjson.Read(ctx, ws, &m); err != nil {
			var ce coderws.CloseError
			if !errors.As(err, &ce) || ce.Code != 4403 {
				t.Fatalf("after the key was revoked: %v", err)
			}
			break
		}
		if m["type"] == "error" && m["id"] == "s" && strings.Contains(strings.ToLower(fmtJSON(m)), "unauthenticated") {
			sawError = true
		}
	}
	if !sawError {
		t.Errorf("the subscription ended without an error")
	}
}

func fmtJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
