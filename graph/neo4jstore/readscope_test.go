package neo4jstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gongjian/gongjian/graph"
	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/graph/neo4jstore/storetest"
)

// txID is the id of the Neo4j transaction that a read runs in, as SHOW TRANSACTIONS sees it.
func txID(t *testing.T, ctx context.Context, s *neo4jstore.Store) string {
	t.Helper()
	v, err := storetest.Value(ctx, s, "SHOW TRANSACTIONS YIELD transactionId, currentQuery WHERE currentQuery CONTAINS 'which-tx-am-i' RETURN transactionId",
		nil, "transactionId")
	id, _ := v.(string)
	if err != nil || id == "" {
		t.Fatalf("transaction id: %q, %v", id, err)
	}
	return id
}

// The reads of a scope run in one transaction, one after the other; a read while another holds
// it runs in a transaction of its own (root fields read in parallel); a failed statement ends
// the shared transaction and later reads run in their own; after the scope ends no
// transaction is left open.
func TestReadScopeSharesOneTransaction(t *testing.T) {
	s := storetest.Open(t, "")
	bg := context.Background()
	if a, b := txID(t, bg, s), txID(t, bg, s); a == b {
		t.Fatalf("two reads outside a scope shared transaction %s", a)
	}

	ctx, end := s.ReadScope(bg)
	first := txID(t, ctx, s)
	for range 3 {
		if id := txID(t, ctx, s); id != first {
			t.Fatalf("a read of the scope ran in %s, not in the scope's %s", id, first)
		}
	}
	if open, _ := s.Transactions(); open != 1 {
		t.Errorf("%d transactions open between the scope's reads, want its one", open)
	}
	// While one read holds the scope's transaction, another runs beside it in its own.
	holding, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.Read(ctx, func(ctx context.Context, tx neo4jstore.Tx) error {
			close(holding)
			<-release
			_, err := tx.Run(ctx, "RETURN 1", nil)
			return err
		})
	}()
	<-holding
	if id := txID(t, ctx, s); id == first {
		t.Errorf("a read beside a busy scope waited for its transaction %s", id)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if id := txID(t, ctx, s); id != first {
		t.Errorf("after the busy read the scope's reads ran in %s, not %s", id, first)
	}
	// A failed statement reports its error, and the reads after it still succeed.
	err := s.Read(ctx, func(ctx context.Context, tx neo4jstore.Tx) error {
		res, err := tx.Run(ctx, "RETURN 1/$zero AS n", map[string]any{"zero": 0})
		if err == nil {
			_, err = res.Collect(ctx)
		}
		return err
	})
	var ge *graph.Error
	if !errors.As(err, &ge) {
		t.Fatalf("division by zero in the scope: %v", err)
	}
	if id := txID(t, ctx, s); id == first {
		t.Errorf("the scope's transaction %s was used after a statement failed in it", id)
	}
	end()
	end() // twice is harmless
	settled(t, s)
	if id := txID(t, ctx, s); id == first {
		t.Errorf("a read after the scope ended ran in its transaction %s", id)
	}

	// A scope ended while nothing read in it leaves nothing open.
	_, end = s.ReadScope(bg)
	end()
	settled(t, s)
	// A scope's transaction still committing when the store closes is waited for.
	ctx, end = s.ReadScope(bg)
	txID(t, ctx, s)
	end()
	if err := s.Close(bg); err != nil {
		t.Fatal(err)
	}
	if open, _ := s.Transactions(); open != 0 {
		t.Errorf("%d transactions open after the store closed", open)
	}
}

// settled waits until no transaction is open: an ended scope commits behind its answer.
func settled(t *testing.T, s *neo4jstore.Store) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(5 * time.Millisecond) {
		open, _ := s.Transactions()
		if open == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d transactions still open a minute after the scope ended", open)
		}
	}
}
