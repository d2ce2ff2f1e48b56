package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestConfigPrecedence(t *testing.T) {
	var stderr bytes.Buffer
	c, err := loadConfig(nil, env(nil), &stderr)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.Neo4j.URI != "bolt://127.0.0.1:7687" || c.Neo4j.Database != "neo4j" ||
		c.Server.MaxDepth != 15 || c.Server.Pages.Max != 500 || c.Server.ReadTimeout != 30*time.Second {
		t.Fatalf("defaults: %+v", c)
	}
	if fmt.Sprint(c.Neo4j.AggregateKinds) != "[PROVINCE CITY DISTRICT COUNTY]" {
		t.Errorf("the statistics kept by default: %v", c.Neo4j.AggregateKinds)
	}
	if c, err := loadConfig(nil, env(map[string]string{"GONGJIAN_AGGREGATE_KINDS": "none"}), &stderr); err != nil || c.Neo4j.AggregateKinds != nil {
		t.Errorf("GONGJIAN_AGGREGATE_KINDS=none: %v, %v; want none kept", c.Neo4j.AggregateKinds, err)
	}

	c, err = loadConfig([]string{"-addr", "127.0.0.1:9999"}, env(map[string]string{
		"GONGJIAN_ADDR": "127.0.0.1:7777", "NEO4J_URI": "neo4j://db.example:7687",
		"GONGJIAN_CORS_ORIGINS": "http://a.example, https://b.example:8443", "GONGJIAN_MAX_PAGE_SIZE": "20",
		"GONGJIAN_WRITE_TIMEOUT": "2m",
	}), &stderr)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9999" {
		t.Errorf("a flag must win over the environment: addr %q", c.Addr)
	}
	if c.Neo4j.URI != "neo4j://db.example:7687" || c.Server.WriteTimeout != 2*time.Minute {
		t.Errorf("environment ignored: %+v", c)
	}
	if fmt.Sprint(c.Server.CORSOrigins) != "[http://a.example https://b.example:8443]" {
		t.Errorf("origins %v", c.Server.CORSOrigins)
	}
	if c.Server.Pages.Max != 20 || c.Server.Pages.Default != 20 {
		t.Errorf("page limits %+v: the default page must not exceed the maximum", c.Server.Pages)
	}
}

func TestConfigRejectsBadValues(t *testing.T) {
	for _, tc := range []struct{ env, value string }{
		{"GONGJIAN_READ_TIMEOUT", "soon"},
		{"GONGJIAN_MAX_DEPTH", "-1"},
		{"GONGJIAN_LOG_FORMAT", "xml"},
		{"GONGJIAN_LOG_LEVEL", "loud"},
		{"GONGJIAN_CORS_ORIGINS", "viz.example"},
		{"GONGJIAN_AGGREGATE_KINDS", "DISTRICT,PARISH"},
	} {
		_, err := loadConfig(nil, env(map[string]string{tc.env: tc.value}), &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), tc.env) {
			t.Errorf("%s=%s: error %v, want one naming the variable", tc.env, tc.value, err)
		}
	}
}

func TestHelpDocumentsEverySettingAndHidesSecrets(t *testing.T) {
	var out bytes.Buffer
	_, err := loadConfig([]string{"-h"}, env(map[string]string{"NEO4J_PASSWORD": "hunter2"}), &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	for _, s := range settings() {
		if !strings.Contains(out.String(), "-"+s.flag) || !strings.Contains(out.String(), s.env) {
			t.Errorf("-h does not document -%s / %s", s.flag, s.env)
		}
	}
	if strings.Contains(out.String(), "hunter2") {
		t.Fatal("-h shows the password")
	}

	c, err := loadConfig(nil, env(map[string]string{"NEO4J_PASSWORD": "hunter2", "NEO4J_USER": "neo4j"}), &out)
	if err != nil {
		t.Fatal(err)
	}
	logged := fmt.Sprint(c.logValue(settings()))
	if strings.Contains(logged, "hunter2") || !strings.Contains(logged, "NEO4J_PASSWORD set") || !strings.Contains(logged, "GONGJIAN_JWT_SECRET unset") {
		t.Fatalf("start-up log values: %s", logged)
	}
	// Each secret says its own state.
	c, err = loadConfig([]string{"-jwt-secret", "s3cret"}, env(nil), &out)
	if err != nil {
		t.Fatal(err)
	}
	logged = fmt.Sprint(c.logValue(settings()))
	if strings.Contains(logged, "s3cret") || !strings.Contains(logged, "GONGJIAN_JWT_SECRET set") || !strings.Contains(logged, "NEO4J_PASSWORD unset") {
		t.Fatalf("start-up log values with a token secret: %s", logged)
	}
}
