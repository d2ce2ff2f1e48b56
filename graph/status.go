package graph

import "time"

// DatabaseInfo describes the Neo4j server behind the store.
type DatabaseInfo struct {
	Address  string // the server that answered, host:port
	Version  string // e.g. "5.26.30"
	Edition  string // "community" or "enterprise"
	Database string // the database the service uses
	// SchemaVersion is the highest migration applied (0 when none is).
	SchemaVersion int
}

// ServiceStatus is the service's readiness and its database's state.
type ServiceStatus struct {
	Ready     bool
	Reason    string // why not ready; empty when ready
	Reachable bool   // Neo4j answered within a second
	Database  DatabaseInfo
	CheckedAt time.Time
}
