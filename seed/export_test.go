package seed

// FirstChunks is the source of the first n chunks of src, for tests that load a slice of a
// scale profile.
func FirstChunks(src *Source, n int) *Source {
	return &Source{Profile: src.Profile, Chunks: n, chunk: src.chunk}
}
