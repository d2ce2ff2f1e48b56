// Command gongjian serves the regional party-building graph as a GraphQL API. Run it with -h
// for its settings.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gongjian/gongjian/graph/neo4jstore"
	"github.com/gongjian/gongjian/server"
)

func main() {
	if len(os.Args) > 1 {
		commands := map[string]func(context.Context, []string) error{
			"keys": func(ctx context.Context, args []string) error {
				return runKeys(ctx, args, os.Getenv, os.Stdout, os.Stderr)
			},
			"backup":  func(ctx context.Context, args []string) error { return runBackup(ctx, args, os.Getenv, os.Stderr) },
			"restore": func(ctx context.Context, args []string) error { return runRestore(ctx, args, os.Getenv, os.Stderr) },
		}
		if cmd, ok := commands[os.Args[1]]; ok {
			ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
			err := cmd(ctx, os.Args[2:])
			stop()
			if err != nil {
				fmt.Fprintf(os.Stderr, "gongjian %s: %v\n", os.Args[1], err)
				os.Exit(1)
			}
			return
		}
	}
	cfg, err := loadConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gongjian:", err)
		os.Exit(2)
	}
	log := newLogger(cfg)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, log); err != nil {
		log.Error("gongjian stopped", "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config, log *slog.Logger) error {
	gcPercent, memoryLimit := server.TuneGC(os.Getenv, cfg.Server.AnswerCacheBytes)
	log.Info("starting gongjian", append(cfg.logValue(settings()), "gogc", gcPercent, "gomemlimit", memoryLimit)...)
	stopTracing, err := setupTracing(ctx, log)
	if err != nil {
		return err
	}
	defer func() {
		flushCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := stopTracing(flushCtx); err != nil {
			log.Warn("flushing the last spans", "err", err)
		}
	}()
	store, err := neo4jstore.Open(cfg.Neo4j, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		_ = store.Close(ctx)
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := server.New(cfg.Server, store, log)
	fmt.Fprintf(os.Stderr, "\n  gongjian: GraphiQL at http://%s/   (API at /graphql, health at /healthz and /readyz)\n\n", ln.Addr())
	return srv.Run(ctx, ln)
}
