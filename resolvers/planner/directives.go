package planner

import (
	"fmt"
	"slices"
)

// boundFilters are the filter inputs bound to graph types (gqlgen.yml), which their
// resolvers and coverageArgs decode as such.
var boundFilters = []string{"CoverageFilter", "ReportingFilter"}

// batchLoaders are the loaders a @batch directive may name (see loaderFor).
var batchLoaders = []string{"coverage", "footprint", "seatsByUnitKind"}

// CheckDirectives checks the schema's @hop and @batch directives against what the planner
// knows: every @hop follows a known relationship kind to known node kinds, every @batch
// names a known loader. The server refuses to start otherwise, instead of failing the first
// query that selects the field.
func CheckDirectives() error {
	for _, def := range schema().Types {
		for _, f := range def.Fields {
			if d := f.Directives.ForName("hop"); d != nil {
				info := hopOf(f)
				if !info.hop.Rel.Valid() {
					return fmt.Errorf("%s.%s: @hop follows the unknown relationship kind %q", def.Name, f.Name, info.hop.Rel)
				}
				for _, k := range info.hop.To {
					if !k.Valid() {
						return fmt.Errorf("%s.%s: @hop leads to %q, which is not a node kind", def.Name, f.Name, k)
					}
				}
			}
			if a := f.Arguments.ForName("filter"); a != nil && (f.Directives.ForName("hop") != nil || def.Name == "Query") {
				name := a.Type.Name()
				if _, ok := filterDecoders[name]; !ok && !slices.Contains(boundFilters, name) {
					return fmt.Errorf("%s.%s: its filter %s has no decoder (resolvers/planner/args.go)", def.Name, f.Name, name)
				}
			}
			if d := f.Directives.ForName("batch"); d != nil {
				if name := d.Arguments.ForName("loader").Value.Raw; !slices.Contains(batchLoaders, name) {
					return fmt.Errorf("%s.%s: @batch names the unknown loader %q (known: %v)", def.Name, f.Name, name, batchLoaders)
				}
			}
		}
	}
	return nil
}
