package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	coderws "github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/gongjian/gongjian/graph"
)

// The close codes of the graphql-transport-ws protocol.
const (
	closeBadRequest      = 4400 // a message that is not JSON, or not of the protocol
	closeUnauthorized    = 4401 // a subscribe before the connection was acknowledged
	closeForbidden       = 4403 // credentials refused at connection_init, or revoked later
	closeInitTimeout     = 4408 // no connection_init within the init timeout
	closeSubscriberTaken = 4409 // a subscribe whose id is in use
	closeTooManyInits    = 4429 // a second connection_init
)

// wsSubprotocol is the subprotocol of graphql-transport-ws (npm graphql-ws).
const wsSubprotocol = "graphql-transport-ws"

// wsTransport serves GraphQL over websockets by the graphql-transport-ws protocol, with its
// close codes: a client learns why it was closed, and the reference client stops retrying
// when retrying cannot help. The connection authenticates with its connection_init payload
// ({"x-api-key": …} or {"authorization": "Bearer …"}); the credential is checked again every
// recheck, and a revoked key or an expired token ends the subscriptions with an error and
// closes the socket (4403).
type wsTransport struct {
	origins     []string
	initTimeout time.Duration
	recheck     time.Duration
	keepAlive   time.Duration
	auth        func(ctx context.Context, payload map[string]any) (*graph.Principal, error)
	log         *slog.Logger
}

var _ graphql.Transport = wsTransport{}

// Supports implements graphql.Transport: websocket upgrades that offer graphql-transport-ws.
func (t wsTransport) Supports(r *http.Request) bool {
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		return false
	}
	for _, p := range r.Header.Values("Sec-WebSocket-Protocol") {
		for _, q := range strings.Split(p, ",") {
			if strings.TrimSpace(q) == wsSubprotocol {
				return true
			}
		}
	}
	return false
}

// Do implements graphql.Transport.
func (t wsTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	conn, err := coderws.Accept(w, r, &coderws.AcceptOptions{Subprotocols: []string{wsSubprotocol}, OriginPatterns: t.origins})
	if err != nil {
		return // Accept has answered
	}
	conn.SetReadLimit(1 << 20)
	ctx, cancel := context.WithCancel(r.Context())
	s := &wsSession{t: t, conn: conn, exec: exec, ctx: ctx, cancel: cancel, subs: map[string]context.CancelFunc{}}
	s.serve()
}

// wsSession is one websocket connection.
type wsSession struct {
	t      wsTransport
	conn   *coderws.Conn
	exec   graphql.GraphExecutor
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	inited  bool
	payload map[string]any // the connection_init payload, to authenticate again
	caller  *graph.Principal
	subs    map[string]context.CancelFunc // running operations by id
	closed  bool
	ops     sync.WaitGroup
}

// wsMessage is a message of the protocol.
type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

func (s *wsSession) serve() {
	defer s.ops.Wait()
	defer s.cancel()
	messages := make(chan []byte)
	go func() {
		defer close(messages)
		for {
			_, data, err := s.conn.Read(s.ctx)
			if err != nil {
				return
			}
			select {
			case messages <- data:
			case <-s.ctx.Done():
				return
			}
		}
	}()
	initTimer := time.NewTimer(s.t.initTimeout)
	defer initTimer.Stop()
	recheck := time.NewTicker(s.t.recheck)
	defer recheck.Stop()
	keepAlive := time.NewTicker(s.t.keepAlive)
	defer keepAlive.Stop()
	for {
		select {
		case <-s.ctx.Done():
			s.close(coderws.StatusGoingAway, "the server is shutting down")
			return
		case <-initTimer.C:
			if !s.initialised() {
				s.close(closeInitTimeout, "Connection initialisation timeout")
				return
			}
		case data, ok := <-messages:
			if !ok {
				s.close(coderws.StatusNormalClosure, "")
				return
			}
			if !s.handle(data) {
				return
			}
		case <-recheck.C:
			if !s.reauthenticate() {
				return
			}
		case <-keepAlive.C:
			s.send(wsMessage{Type: "ping"})
		}
	}
}

func (s *wsSession) initialised() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inited
}

// handle handles one message; false when the connection was closed.
func (s *wsSession) handle(data []byte) bool {
	var m wsMessage
	if err := json.Unmarshal(data, &m); err != nil || m.Type == "" {
		s.close(closeBadRequest, "Invalid message received")
		return false
	}
	switch m.Type {
	case "connection_init":
		s.mu.Lock()
		again := s.inited
		s.inited = true
		s.mu.Unlock()
		if again {
			s.close(closeTooManyInits, "Too many initialisation requests")
			return false
		}
		payload := map[string]any{}
		if len(m.Payload) > 0 && string(m.Payload) != "null" {
			if err := json.Unmarshal(m.Payload, &payload); err != nil {
				s.close(closeBadRequest, "Invalid message received: the init payload is not an object")
				return false
			}
		}
		p, err := s.t.auth(s.ctx, payload)
		if err != nil {
			s.close(closeForbidden, "Forbidden: "+graph.ErrorMessage(err))
			return false
		}
		s.mu.Lock()
		s.payload, s.caller = payload, p
		s.mu.Unlock()
		s.send(wsMessage{Type: "connection_ack"})
	case "ping":
		s.send(wsMessage{Type: "pong", Payload: m.Payload})
	case "pong":
	case "subscribe":
		return s.subscribe(m)
	case "complete":
		s.mu.Lock()
		stop := s.subs[m.ID]
		delete(s.subs, m.ID)
		s.mu.Unlock()
		if stop != nil {
			stop()
		}
	default:
		s.close(closeBadRequest, fmt.Sprintf("Invalid message received: unknown type %q", m.Type))
		return false
	}
	return true
}

// subscribe starts an operation; false when the connection was closed.
func (s *wsSession) subscribe(m wsMessage) bool {
	s.mu.Lock()
	caller, taken := s.caller, s.subs[m.ID] != nil
	s.mu.Unlock()
	switch {
	case caller == nil:
		s.close(closeUnauthorized, "Unauthorized")
		return false
	case m.ID == "":
		s.close(closeBadRequest, "Invalid message received: a subscribe needs an id")
		return false
	case taken:
		s.close(closeSubscriberTaken, "Subscriber for "+m.ID+" already exists")
		return false
	}
	var params graphql.RawParams
	if err := decodeJSON(strings.NewReader(string(m.Payload)), &params); err != nil || params.Query == "" {
		s.close(closeBadRequest, "Invalid message received: a subscribe's payload has a query")
		return false
	}
	start := graphql.Now()
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	ctx := graphql.StartOperationTrace(graph.WithPrincipal(s.ctx, caller))
	oc, errs := s.exec.CreateOperationContext(ctx, &params)
	if errs != nil {
		resp := s.exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs)
		s.sendErrors(m.ID, resp.Errors)
		return true
	}
	ctx, stop := context.WithCancel(graphql.WithOperationContext(ctx, oc))
	s.mu.Lock()
	s.subs[m.ID] = stop
	s.mu.Unlock()
	s.ops.Add(1)
	go func() {
		defer s.ops.Done()
		defer stop()
		responses, rctx := s.exec.DispatchOperation(ctx, oc)
		for {
			resp := responses(rctx)
			if resp == nil {
				break
			}
			b, err := json.Marshal(resp)
			if err != nil {
				s.t.log.ErrorContext(ctx, "a websocket response", "err", err)
				break
			}
			s.send(wsMessage{ID: m.ID, Type: "next", Payload: b})
		}
		s.mu.Lock()
		_, running := s.subs[m.ID] // the client's complete removes it
		delete(s.subs, m.ID)
		s.mu.Unlock()
		if running && ctx.Err() == nil {
			s.send(wsMessage{ID: m.ID, Type: "complete"})
		}
	}()
	return true
}

// reauthenticate checks the connection's credential again; when it is no longer good, the
// running operations end with an error and the connection closes. False when it closed.
func (s *wsSession) reauthenticate() bool {
	s.mu.Lock()
	payload, caller := s.payload, s.caller
	s.mu.Unlock()
	if caller == nil {
		return true
	}
	if _, err := s.t.auth(s.ctx, payload); err != nil {
		if code := graph.ErrorCode(err); code != graph.Unauthenticated && code != graph.Forbidden {
			return true // the database did not answer: keep the connection, check again later
		}
		gqlErr := &gqlerror.Error{Message: graph.ErrorMessage(err), Extensions: map[string]any{"code": string(graph.ErrorCode(err))}}
		s.mu.Lock()
		ids := make([]string, 0, len(s.subs))
		for id, stop := range s.subs {
			ids = append(ids, id)
			stop()
		}
		s.subs = map[string]context.CancelFunc{}
		s.mu.Unlock()
		for _, id := range ids {
			s.sendErrors(id, gqlerror.List{gqlErr})
		}
		s.close(closeForbidden, "Forbidden: "+graph.ErrorMessage(err))
		return false
	}
	return true
}

func (s *wsSession) sendErrors(id string, errs gqlerror.List) {
	b, err := json.Marshal(errs)
	if err != nil {
		b = []byte(`[{"message":"internal error","extensions":{"code":"INTERNAL"}}]`)
	}
	s.send(wsMessage{ID: id, Type: "error", Payload: b})
}

func (s *wsSession) send(m wsMessage) {
	b, _ := json.Marshal(m)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	ctx, cancel := context.WithTimeout(s.ctx, 10*time.Second)
	defer cancel()
	if err := s.conn.Write(ctx, coderws.MessageText, b); err != nil && !errors.Is(err, context.Canceled) {
		s.t.log.DebugContext(s.ctx, "websocket write", "err", err)
	}
}

// close closes the connection with a code and a reason, once, and ends every operation.
func (s *wsSession) close(code coderws.StatusCode, reason string) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	for _, stop := range s.subs {
		stop()
	}
	s.mu.Unlock()
	for len(reason) > 120 { // a close frame's reason is at most 123 bytes
		r := []rune(reason)
		reason = string(r[:len(r)-1])
	}
	_ = s.conn.Close(code, reason)
	s.cancel()
}
