package neo4jstore

import "testing"

// An index that a later pending migration drops is not built on the way; one whose drop has
// been applied already (or that nothing drops) is.
func TestDroppedLaterSkipsOnlyIndexesAPendingStepDrops(t *testing.T) {
	stmt := migrations[2].Statements[0] // migration 3: the first full-text index, entity_name
	if createIndex.FindStringSubmatch(stmt) == nil || createIndex.FindStringSubmatch(stmt)[1] != "entity_name" {
		t.Fatalf("migration 3's first statement is not entity_name's creation: %q", stmt)
	}
	if !droppedLater(stmt, 3, map[int]bool{1: true, 2: true}) {
		t.Fatal("entity_name is built although migration 8, pending, drops it")
	}
	if droppedLater(stmt, 3, map[int]bool{8: true}) {
		t.Fatal("entity_name is skipped although migration 8 has been applied")
	}
	if droppedLater(migrations[1].Statements[0], 2, map[int]bool{}) {
		t.Fatal("entity_id is skipped although no migration drops it")
	}
}
