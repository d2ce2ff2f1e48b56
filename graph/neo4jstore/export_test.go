package neo4jstore

// Migrations exposes the migration list to the tests.
func Migrations() []migration { return migrations }
