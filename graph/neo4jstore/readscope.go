package neo4jstore

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/gongjian/gongjian/graph"
)

// A read scope lets the reads of one GraphQL query share one read transaction: the levels of
// its selection are read one after the other, and each transaction of its own costs a BEGIN and
// a COMMIT besides its statement (on this machine about 0.35 ms, as much as a statement that
// reads a page by index). The first read in the scope begins the transaction; a read that
// finds it busy (another root field of the same query reading at the same moment) runs in a
// transaction of its own, so that root fields still read in parallel. Neo4j reads committed
// data statement by statement, so sharing changes no answer.

type readScopeKey struct{}

type readScope struct {
	s       *Store
	mu      sync.Mutex
	session neo4j.SessionWithContext
	tx      neo4j.ExplicitTransaction
	// ended: the query has answered; broken: a statement failed, which ends a transaction in
	// Neo4j. Reads then run in transactions of their own.
	ended, broken bool
}

// ReadScope returns a context whose reads share one read transaction, and the function that
// ends it (commits and closes; safe to call more than once, and from another goroutine). Only
// for reads that need not see a write made after the scope's first read: the server opens one
// per query operation, never for mutations or subscriptions.
func (s *Store) ReadScope(ctx context.Context) (context.Context, func()) {
	sc := &readScope{s: s}
	return context.WithValue(ctx, readScopeKey{}, sc), sc.end
}

func scopeOf(ctx context.Context) *readScope {
	sc, _ := ctx.Value(readScopeKey{}).(*readScope)
	return sc
}

// read runs work in the scope's transaction, begun if need be. done is false when the work was
// not run there, or must run again: the scope is busy, ended or broken, the transaction could not
// begin, or the work failed in a way a retry in a managed transaction (which the driver retries)
// may cure.
func (sc *readScope) read(ctx context.Context, work func(ctx context.Context, tx Tx) error) (done bool, err error) {
	if !sc.mu.TryLock() {
		return false, nil
	}
	defer sc.mu.Unlock()
	if sc.ended || sc.broken {
		return false, nil
	}
	if sc.tx == nil {
		sc.session = sc.s.driver.NewSession(ctx, neo4j.SessionConfig{
			AccessMode: neo4j.AccessModeRead, DatabaseName: sc.s.cfg.Database, BookmarkManager: sc.s.bookmarks,
		})
		opts := []func(*neo4j.TransactionConfig){neo4j.WithTxTimeout(sc.s.cfg.QueryTimeout)}
		if md := txMetadata(ctx); md != nil {
			opts = append(opts, neo4j.WithTxMetadata(md))
		}
		tx, err := sc.session.BeginTransaction(ctx, opts...)
		if err != nil {
			sc.broken = true
			sc.close(false)
			return false, nil
		}
		sc.tx = tx
		sc.s.open.Add(1)
	}
	var tx Tx = countingTx{ManagedTransaction: sc.tx, on: sc.s.cfg.OnStatement, tracer: sc.s.tracer}
	if sc.s.wrapTx != nil {
		tx = sc.s.wrapTx(tx)
	}
	err = work(ctx, explaining(ctx, tx))
	if err == nil {
		return true, nil
	}
	sc.broken = true
	sc.close(false)
	var ge *graph.Error
	if !errors.As(err, &ge) && ctx.Err() == nil && (neo4j.IsRetryable(err) || neo4j.IsConnectivityError(err)) {
		return false, nil
	}
	return true, classify(err)
}

// end ends the scope: reads after it run in transactions of their own. The transaction, if one
// began, is committed and closed behind the answer, by a goroutine the store waits for when
// it closes: a read transaction's commit changes nothing the answer depends on.
func (sc *readScope) end() {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.ended {
		return
	}
	sc.ended = true
	if sc.tx == nil && sc.session == nil {
		return
	}
	closing := &readScope{s: sc.s, tx: sc.tx, session: sc.session}
	sc.tx, sc.session = nil, nil
	sc.s.closing.Add(1)
	go func() {
		defer sc.s.closing.Done()
		closing.close(true)
	}()
}

// close ends the transaction (committing it if asked) and the session. sc.mu is held, or sc
// is no longer shared.
func (sc *readScope) close(commit bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if sc.tx != nil {
		if commit {
			if err := sc.tx.Commit(ctx); err != nil {
				sc.s.log.Debug("read scope: commit failed", "err", err)
			}
		}
		_ = sc.tx.Close(ctx)
		sc.tx = nil
		sc.s.open.Add(-1)
	}
	if sc.session != nil {
		_ = sc.session.Close(ctx)
		sc.session = nil
	}
}
