package neo4jstore

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gongjian/gongjian/graph"
)

// A backup keeps each property's Neo4j type: integers and strings as JSON has them, floats
// as {"$float": x} (JSON alone would turn 1.0 into an integer), dates as {"$date":
// "2006-01-02"}, date-times as {"$datetime": RFC 3339}, local date-times as
// {"$localdatetime": …}; lists element by element.

// backupProps encodes a node's or relationship's properties for a backup line.
func backupProps(props map[string]any) map[string]any {
	out := make(map[string]any, len(props))
	for k, v := range props {
		out[k] = backupValue(v)
	}
	return out
}

func backupValue(v any) any {
	switch x := v.(type) {
	case float64:
		return map[string]any{"$float": x}
	case dbtype.Date:
		return map[string]any{"$date": x.Time().Format(time.DateOnly)}
	case time.Time:
		return map[string]any{"$datetime": x.Format(time.RFC3339Nano)}
	case dbtype.LocalDateTime:
		return map[string]any{"$localdatetime": x.Time().Format("2006-01-02T15:04:05.999999999")}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = backupValue(e)
		}
		return out
	default:
		return v // string, int64, bool, nil
	}
}

// restoreProps decodes a backup line's properties (read with json.Decoder.UseNumber) into
// the values the driver writes as the types they had.
func restoreProps(props map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(props))
	for k, v := range props {
		x, err := restoreValue(v)
		if err != nil {
			return nil, graph.Errorf(graph.BadUserInput, "property %s: %v", k, err)
		}
		out[k] = x
	}
	return out, nil
}

func restoreValue(v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		if !strings.ContainsAny(x.String(), ".eE") {
			return x.Int64()
		}
		return x.Float64()
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			var err error
			if out[i], err = restoreValue(e); err != nil {
				return nil, err
			}
		}
		return out, nil
	case map[string]any:
		if len(x) != 1 {
			return nil, fmt.Errorf("a map value %v (a backup holds maps only as typed values)", x)
		}
		for tag, raw := range x {
			switch tag {
			case "$float":
				n, ok := raw.(json.Number)
				if !ok {
					return nil, fmt.Errorf("$float %v", raw)
				}
				return n.Float64()
			case "$date":
				t, err := time.Parse(time.DateOnly, fmt.Sprint(raw))
				return dbtype.Date(t), err
			case "$datetime":
				return time.Parse(time.RFC3339Nano, fmt.Sprint(raw))
			case "$localdatetime":
				t, err := time.Parse("2006-01-02T15:04:05.999999999", fmt.Sprint(raw))
				return dbtype.LocalDateTime(t), err
			}
		}
		return nil, fmt.Errorf("an unknown typed value %v", x)
	default:
		return v, nil
	}
}
