package neo4jstore

import "github.com/neo4j/neo4j-go-driver/v5/neo4j"

// str reads a string column; a missing or null value is "".
func str(rec *neo4j.Record, key string) string {
	v, _ := rec.Get(key)
	s, _ := v.(string)
	return s
}

// integer reads an integer column; a missing or null value is 0.
func integer(rec *neo4j.Record, key string) int64 {
	v, _ := rec.Get(key)
	n, _ := v.(int64)
	return n
}
