package seed

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/gongjian/gongjian/graph"
)

// ImportArgs is the name of the file, in the directory WriteImportFiles writes, that holds the
// importer's --nodes and --relationships arguments, one a line (picocli's @file).
const ImportArgs = "import.args"

// WriteImportFiles writes a profile as the CSV files of Neo4j's offline importer
// (`neo4j-admin database import full`, run by `neo4jctl import`): a header file and a data
// file per kind, and their arguments into dir/ImportArgs. The store it builds holds what a
// load over Bolt into an empty database writes: every node labelled Entity and its kind, with
// its id and properties; every relationship with its key (an empty string when it has none)
// and properties; values keep their types (integers, floats, booleans, dates, strings). The
// profile is generated twice, chunk by chunk: first for the columns of each kind, then for
// the rows, while the next chunks are made on the other cores.
func WriteImportFiles(src *Source, dir string) (Stats, error) {
	start := time.Now()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Stats{}, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Stats{}, err
	}
	nodeCols, edgeCols := map[graph.NodeKind]*columnSet{}, map[graph.RelKind]*columnSet{}
	// multiline is whether any field holds a line break: only then does the importer read the
	// files as multi-line fields, which keeps it from parsing a file in parallel (on city, it
	// takes twice as long).
	multiline := false
	err = eachChunk(src, func(d *Dataset) error {
		for k, rows := range d.nodes {
			cs := setOf(nodeCols, k)
			for _, r := range rows {
				brk, err := cs.add(string(k), r.Props, "id")
				if err != nil {
					return err
				}
				multiline = multiline || brk || lineBreak(r.ID)
			}
		}
		for k, rows := range d.edges {
			cs := setOf(edgeCols, k)
			for _, r := range rows {
				brk, err := cs.add(string(k), r.Props, "key")
				if err != nil {
					return err
				}
				multiline = multiline || brk || lineBreak(r.From) || lineBreak(r.To) || lineBreak(r.Key)
			}
		}
		return nil
	})
	if err != nil {
		return Stats{}, err
	}
	files := newImportFiles(abs)
	if multiline {
		files.args = append(files.args, "--multiline-fields=true")
	}
	defer files.close()
	var st Stats
	err = eachChunk(src, func(d *Dataset) error {
		for _, k := range d.nodeKinds() {
			cols := nodeCols[k].columns()
			w, err := files.open("nodes-"+string(k), "Entity:"+string(k), "--nodes", header([]string{"id:ID"}, cols))
			if err != nil {
				return err
			}
			for _, r := range d.nodes[k] {
				writeString(w, r.ID)
				writeValues(w, cols, r.Props)
				w.WriteByte('\n')
			}
		}
		for _, k := range d.relKinds() {
			cols := edgeCols[k].columns()
			w, err := files.open("rels-"+string(k), string(k), "--relationships", header([]string{":START_ID", ":END_ID", "key:string"}, cols))
			if err != nil {
				return err
			}
			for _, r := range d.edges[k] {
				writeString(w, r.From)
				w.WriteByte(',')
				writeString(w, r.To)
				w.WriteByte(',')
				writeString(w, r.Key)
				writeValues(w, cols, r.Props)
				w.WriteByte('\n')
			}
		}
		st.Nodes += d.NodeCount()
		st.Edges += d.EdgeCount()
		return nil
	})
	if err != nil {
		return Stats{}, err
	}
	if err := files.finish(filepath.Join(abs, ImportArgs)); err != nil {
		return Stats{}, err
	}
	st.Took = time.Since(start)
	return st, nil
}

// importFiles are the data files being written, one per kind, each with its header file, and
// the importer's arguments naming them.
type importFiles struct {
	dir   string
	files map[string]*os.File
	bufs  map[string]*bufio.Writer
	order []string
	args  []string
}

func newImportFiles(dir string) *importFiles {
	return &importFiles{dir: dir, files: map[string]*os.File{}, bufs: map[string]*bufio.Writer{}}
}

// open returns the writer of a kind's data file, creating it and its header file (and its
// argument: flag=labels or type=header,data) the first time.
func (f *importFiles) open(name, labels, flag, head string) (*bufio.Writer, error) {
	if w, ok := f.bufs[name]; ok {
		return w, nil
	}
	hpath, dpath := filepath.Join(f.dir, name+".header.csv"), filepath.Join(f.dir, name+".csv")
	if err := os.WriteFile(hpath, []byte(head), 0o644); err != nil {
		return nil, err
	}
	file, err := os.Create(dpath)
	if err != nil {
		return nil, err
	}
	f.files[name], f.bufs[name] = file, bufio.NewWriterSize(file, 1<<20)
	f.order = append(f.order, name)
	f.args = append(f.args, strconv.Quote(fmt.Sprintf("%s=%s=%s,%s", flag, labels, hpath, dpath)))
	return f.bufs[name], nil
}

// finish flushes and closes every data file and writes the arguments.
func (f *importFiles) finish(argsPath string) error {
	for _, name := range f.order {
		if err := f.bufs[name].Flush(); err != nil {
			return err
		}
		err := f.files[name].Close()
		delete(f.files, name)
		if err != nil {
			return err
		}
	}
	return os.WriteFile(argsPath, []byte(strings.Join(f.args, "\n")+"\n"), 0o644)
}

// close closes what finish did not (after an error).
func (f *importFiles) close() {
	for _, file := range f.files {
		file.Close()
	}
}

// column is one property column of a file: its key and the importer's type for it.
type column struct{ key, typ string }

// columnSet gathers the property columns of one kind: each key with the one type all its
// values share.
type columnSet struct{ types map[string]string }

// lineBreak reports whether s holds a line break, which a CSV field keeps only when the
// importer reads multi-line fields.
func lineBreak(s string) bool { return strings.ContainsAny(s, "\r\n") }

func setOf[K comparable](m map[K]*columnSet, k K) *columnSet {
	if m[k] == nil {
		m[k] = &columnSet{types: map[string]string{}}
	}
	return m[k]
}

// add takes in the keys of one row's properties, but skip (written in a column of its own),
// and reports whether a string among them holds a line break.
func (cs *columnSet) add(what string, props map[string]any, skip string) (lineBreaks bool, err error) {
	for key, v := range props {
		if key == skip {
			continue
		}
		t, err := importType(v)
		if err != nil {
			return false, fmt.Errorf("%s.%s: %w", what, key, err)
		}
		if str, ok := v.(string); ok && lineBreak(str) {
			lineBreaks = true
		}
		if was, ok := cs.types[key]; ok && was != t {
			return false, fmt.Errorf("%s.%s holds both %s and %s values", what, key, was, t)
		}
		cs.types[key] = t
	}
	return lineBreaks, nil
}

// columns are the set's columns, by key.
func (cs *columnSet) columns() []column {
	cols := make([]column, 0, len(cs.types))
	for _, key := range sortedKeys(cs.types) {
		cols = append(cols, column{key, cs.types[key]})
	}
	return cols
}

// importType is the importer's header type of a value.
func importType(v any) (string, error) {
	switch v.(type) {
	case string:
		return "string", nil
	case int, int64:
		return "long", nil
	case float64:
		return "double", nil
	case bool:
		return "boolean", nil
	case dbtype.Date:
		return "date", nil
	}
	return "", fmt.Errorf("a value of type %T cannot be imported", v)
}

// header is a file's header line: the given columns, then the properties'.
func header(first []string, cols []column) string {
	h := append([]string(nil), first...)
	for _, c := range cols {
		h = append(h, c.key+":"+c.typ)
	}
	return strings.Join(h, ",") + "\n"
}

// writeValues writes a row's property columns, each after a comma; an absent property is an
// empty field, which the importer leaves unset, while a string is always quoted, so that an
// empty string stays one.
func writeValues(w *bufio.Writer, cols []column, props map[string]any) {
	var buf [32]byte
	for _, c := range cols {
		w.WriteByte(',')
		switch v := props[c.key].(type) {
		case nil:
		case string:
			writeString(w, v)
		case int:
			w.Write(strconv.AppendInt(buf[:0], int64(v), 10))
		case int64:
			w.Write(strconv.AppendInt(buf[:0], v, 10))
		case float64:
			w.Write(strconv.AppendFloat(buf[:0], v, 'g', -1, 64))
		case bool:
			w.Write(strconv.AppendBool(buf[:0], v))
		case dbtype.Date:
			w.WriteString(v.Time().Format(time.DateOnly))
		}
	}
}

// writeString writes a quoted CSV field: quotes inside are doubled; line breaks stay (and the
// arguments then ask for multi-line fields).
func writeString(w *bufio.Writer, s string) {
	w.WriteByte('"')
	if strings.IndexByte(s, '"') < 0 {
		w.WriteString(s)
	} else {
		w.WriteString(strings.ReplaceAll(s, `"`, `""`))
	}
	w.WriteByte('"')
}
