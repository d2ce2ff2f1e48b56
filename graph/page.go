package graph

// PageLimits bounds list sizes: every list field takes `first` and is cut at Max.
type PageLimits struct {
	Default int // page size when the client gives none
	Max     int // largest page a client may ask for
}

// DefaultPageLimits are used when the configuration gives none.
var DefaultPageLimits = PageLimits{Default: 50, Max: 500}

// PageSize validates a client's `first` argument against the limits and returns the size to use.
func (l PageLimits) PageSize(first *int) (int, error) {
	if first == nil {
		return l.Default, nil
	}
	switch n := *first; {
	case n < 0:
		return 0, FieldError("first", "first must not be negative, got %d", n)
	case n > l.Max:
		return 0, FieldError("first", "first must be at most %d (the maximum page size), got %d", l.Max, n)
	default:
		return n, nil
	}
}
