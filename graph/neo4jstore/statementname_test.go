package neo4jstore

import "testing"

func TestStoreFunctionNames(t *testing.T) {
	for full, want := range map[string]string{
		"github.com/gongjian/gongjian/graph/neo4jstore.(*Store).Hop.func1":       "Hop",
		"github.com/gongjian/gongjian/graph/neo4jstore.(*Store).Statistics":      "Statistics",
		"github.com/gongjian/gongjian/graph/neo4jstore.(*committer).flush.func2": "committer.flush",
		"github.com/gongjian/gongjian/graph/neo4jstore.singleInt":                "singleInt",
		"github.com/gongjian/gongjian/server.(*Server).run":                      "",
	} {
		if got := storeFunction(full); got != want {
			t.Errorf("storeFunction(%q) = %q, want %q", full, got, want)
		}
	}
}
