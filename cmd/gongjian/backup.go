package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/gongjian/gongjian/graph/neo4jstore"
)

// openStore opens the store of a maintenance command (NEO4J_URI or -neo4j-uri; the user,
// password and database from the environment), with a long transaction timeout.
func openStore(uri string, getenv func(string) string) (*neo4jstore.Store, error) {
	return neo4jstore.Open(neo4jstore.Config{URI: uri, Database: getenv("NEO4J_DATABASE"), User: getenv("NEO4J_USER"),
		Password: getenv("NEO4J_PASSWORD"), QueryTimeout: time.Hour}, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// runBackup is `gongjian backup -o FILE`: a consistent, gzip-compressed copy of the database
// (every entity, relationship, API key and change-feed commit, and the feed's counter) while
// the server runs. The file is written beside FILE and renamed into place when complete.
func runBackup(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "the backup file to write (gzip-compressed NDJSON), e.g. gongjian-2026-12-02.ndjson.gz")
	uri := fs.String("neo4j-uri", or(getenv("NEO4J_URI"), "bolt://127.0.0.1:7687"), "Neo4j URI (NEO4J_URI)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return errors.New("usage: gongjian backup -o FILE")
	}
	store, err := openStore(*uri, getenv)
	if err != nil {
		return err
	}
	defer store.Close(ctx)
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".backup-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	var zw *gzip.Writer
	var bw *bufio.Writer
	var enc *json.Encoder
	begin := func() error { // each attempt starts the file over
		if _, err := tmp.Seek(0, io.SeekStart); err != nil {
			return err
		}
		if err := tmp.Truncate(0); err != nil {
			return err
		}
		bw = bufio.NewWriterSize(tmp, 1<<20)
		zw = gzip.NewWriter(bw)
		enc = json.NewEncoder(zw)
		return nil
	}
	start := time.Now()
	counts, err := store.Backup(ctx, begin, func(r neo4jstore.BackupRecord) error { return enc.Encode(r) })
	if err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return err
	}
	fi, _ := os.Stat(*out)
	fmt.Fprintf(stderr, "gongjian backup: %d nodes, %d relationships, %d API keys, %d feed commits, feed at %d; %d bytes in %s: %s\n",
		counts.Nodes, counts.Relationships, counts.APIKeys, counts.ChangeSets, counts.FeedSeq, fi.Size(), time.Since(start).Round(time.Millisecond), *out)
	return nil
}

// runRestore is `gongjian restore FILE`: loads a backup into an empty database and sets the
// change feed where the backup left it, so that consumers go on from their cursors.
func runRestore(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	uri := fs.String("neo4j-uri", or(getenv("NEO4J_URI"), "bolt://127.0.0.1:7687"), "Neo4j URI (NEO4J_URI)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: gongjian restore FILE")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return fmt.Errorf("%s is not a gzip-compressed backup: %w", fs.Arg(0), err)
	}
	dec := json.NewDecoder(zr)
	dec.UseNumber()
	store, err := openStore(*uri, getenv)
	if err != nil {
		return err
	}
	defer store.Close(ctx)
	if err := store.EnsureSchema(ctx); err != nil {
		return err
	}
	start := time.Now()
	counts, err := store.Restore(ctx, func() (neo4jstore.BackupRecord, bool, error) {
		var r neo4jstore.BackupRecord
		if err := dec.Decode(&r); errors.Is(err, io.EOF) {
			return r, false, nil
		} else if err != nil {
			return r, false, fmt.Errorf("reading the backup: %w", err)
		}
		return r, true, nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "gongjian restore: %d nodes, %d relationships, %d API keys, %d feed commits, feed at %d, in %s\n",
		counts.Nodes, counts.Relationships, counts.APIKeys, counts.ChangeSets, counts.FeedSeq, time.Since(start).Round(time.Millisecond))
	return nil
}
