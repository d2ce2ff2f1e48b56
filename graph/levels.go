package graph

import (
	"io"
	"slices"
	"time"
	_ "time/tzdata" // the reports' time zone, on machines without a zone database
)

// CoverageLevel says how close a way of covering is to the place (覆盖层级). The reports judge
// coverage community by community: a community is covered when some unit works in it; a
// street's 大工委, a collaboration group, a federation or an alliance above it join units to
// the street or district as a whole, and a community reached only that way still lacks units of
// its own (中心路街道针对个别社区辖区无联建单位的问题，以2至3个社区为一个片区，成立联合片区党委).
type CoverageLevel string

// The coverage levels.
const (
	// LevelDirect: stationed in the place, a seat on its 大党委 or on a joint area committee over
	// it (or an alliance formed for it), a co-building agreement with it, or a unit reporting to it.
	LevelDirect CoverageLevel = "DIRECT"
	// LevelIndirect: through the street's 大工委, a collaboration group, an alliance or a
	// federation above the place.
	LevelIndirect CoverageLevel = "INDIRECT"
)

// CoverageLevels lists the levels.
var CoverageLevels = []CoverageLevel{LevelDirect, LevelIndirect}

// MarshalGQL implements graphql.Marshaler.
func (k CoverageLevel) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *CoverageLevel) UnmarshalGQL(v any) error {
	return unmarshalEnum(k, v, CoverageLevels, "CoverageLevel")
}

// zone is the reports' time zone: "today" is the day in China.
var zone = func() *time.Location {
	if z, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return z
	}
	return time.FixedZone("CST", 8*3600)
}()

// Now is the clock questions read "today" from; tests may replace it.
var Now = time.Now

// Today is the date in China: the date of every question asked without one.
func Today() Date {
	t := Now().In(zone)
	return DateOf(t)
}

// On returns the date the filter asks about: its asOf, or today.
func (f CoverageFilter) On() Date {
	if f.AsOf != nil {
		return *f.AsOf
	}
	return Today()
}

// LevelsOr returns the filter's levels, or def when it names none.
func (f CoverageFilter) LevelsOr(def ...CoverageLevel) []CoverageLevel {
	if len(f.Levels) > 0 {
		return f.Levels
	}
	return def
}

// On returns the date the filter asks about: its asOf, or today.
func (f ReportingFilter) On() Date {
	if f.AsOf != nil {
		return *f.AsOf
	}
	return Today()
}

// validLevels checks a list of levels.
func validLevels(field string, ls []CoverageLevel) error {
	for _, l := range ls {
		if !slices.Contains(CoverageLevels, l) {
			return FieldError(field, "unknown coverage level %q", l)
		}
	}
	return nil
}
