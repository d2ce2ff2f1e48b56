package neo4jstore

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gongjian/gongjian/graph"
)

// pageParams sets the parameters of a page: $skip, $limit and $fromEnd (see cut).
func pageParams(sl graph.Slice, params map[string]any) map[string]any {
	params["skip"], params["limit"], params["fromEnd"] = int64(sl.Offset), int64(sl.Limit), sl.FromEnd
	return params
}

// cut is the Cypher expression of a page of a list variable: from $skip, $limit entries; or,
// from the end ($fromEnd), the last $limit entries from $skip on.
func cut(list string) string {
	return fmt.Sprintf("CASE WHEN $fromEnd THEN %[1]s[CASE WHEN size(%[1]s) - $limit > $skip THEN size(%[1]s) - $limit ELSE $skip END..] "+
		"ELSE %[1]s[$skip..$skip + $limit] END", list)
}

// skipLimit is the SKIP and LIMIT of a page read with them; from the end, the order is built
// reversed (see orderClause) and the page is its first rows (put back in order by fromEnd).
func skipLimit(sl graph.Slice) string {
	if sl.FromEnd {
		return "LIMIT $limit"
	}
	return "SKIP $skip LIMIT $limit"
}

// direction is ASC or DESC for an order, reversed when asked.
func direction(descending, reversed bool) string {
	if descending != reversed {
		return "DESC"
	}
	return "ASC"
}

// ties appends a direction to each of a list of tie-breaking expressions.
func ties(list string, reversed bool) string {
	items := strings.Split(list, ", ")
	for i := range items {
		items[i] += " " + direction(false, reversed)
	}
	return strings.Join(items, ", ")
}

// fromEnd puts back in order the rows of a page read from the end, and keeps those at or after
// the slice's first allowed entry; it returns them and the page's offset in a list of total.
func fromEnd[T any](rows []T, sl graph.Slice, total int) ([]T, int) {
	if !sl.FromEnd {
		return rows, sl.Offset
	}
	slices.Reverse(rows)
	offset := total - len(rows)
	if offset < sl.Offset {
		rows = rows[min(len(rows), sl.Offset-offset):]
		offset = sl.Offset
	}
	return rows, offset
}
