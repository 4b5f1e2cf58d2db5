package feed

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// fields lists, for each Item field, the record keys (JSON member names or
// CSV column headers, matched case-insensitively) that fill it, in order of
// preference. docs/catalogue.md documents the same table.
var fields = struct {
	id, url, title, summary, text, section, topics, published, popularity, vector, language []string
}{
	id:         []string{"id", "guid"},
	url:        []string{"url", "link"},
	title:      []string{"title"},
	summary:    []string{"summary", "description"},
	text:       []string{"text", "content", "content_text", "content_html", "body"},
	section:    []string{"section"},
	topics:     []string{"topics", "tags", "categories", "genres"},
	published:  []string{"published", "date_published", "date", "pub_date"},
	popularity: []string{"popularity", "views", "pageviews", "page_views"},
	vector:     []string{"vector", "embedding"},
	language:   []string{"language", "lang"},
}

// record is one JSON object or CSV row, keyed by lowercase field name. A
// value is either a JSON value or, for CSV, the cell's text.
type record struct {
	json map[string]json.RawMessage
	csv  map[string]string
}

func (r record) has(key string) bool {
	if r.json != nil {
		v, ok := r.json[key]
		return ok && string(v) != "null"
	}
	v, ok := r.csv[key]
	return ok && v != ""
}

// first returns the first of keys the record has.
func (r record) first(keys []string) string {
	for _, k := range keys {
		if r.has(k) {
			return k
		}
	}
	return ""
}

func (r record) str(keys []string) (string, error) {
	k := r.first(keys)
	if k == "" {
		return "", nil
	}
	if r.json == nil {
		return r.csv[k], nil
	}
	var s string
	if err := json.Unmarshal(r.json[k], &s); err != nil {
		// Numeric ids are common in exports; keep their digits.
		var n json.Number
		if json.Unmarshal(r.json[k], &n) == nil {
			return n.String(), nil
		}
		return "", fieldErr(k, "a string")
	}
	return s, nil
}

func (r record) strings(keys []string) ([]string, error) {
	k := r.first(keys)
	if k == "" {
		return nil, nil
	}
	if r.json == nil {
		return splitList(r.csv[k]), nil
	}
	var list []string
	if err := json.Unmarshal(r.json[k], &list); err == nil {
		return list, nil
	}
	var s string
	if err := json.Unmarshal(r.json[k], &s); err != nil {
		return nil, fieldErr(k, "a list of strings or a string")
	}
	return splitList(s), nil
}

// splitList splits "a|b|c", "a;b" or "a, b" into items.
func splitList(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '|' || r == ';' || r == ',' })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (r record) number(keys []string) (float64, string, error) {
	k := r.first(keys)
	if k == "" {
		return 0, "", nil
	}
	var f float64
	if r.json == nil {
		v, err := strconv.ParseFloat(strings.TrimSpace(r.csv[k]), 64)
		if err != nil {
			return 0, k, ErrBadNumber
		}
		f = v
	} else if err := json.Unmarshal(r.json[k], &f); err != nil {
		var s string
		if json.Unmarshal(r.json[k], &s) != nil {
			return 0, k, ErrBadNumber
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return 0, k, ErrBadNumber
		}
		f = v
	}
	if f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, k, ErrBadNumber
	}
	return f, k, nil
}

func (r record) vector(keys []string) ([]float32, string, error) {
	k := r.first(keys)
	if k == "" {
		return nil, "", nil
	}
	var vals []float64
	if r.json != nil {
		if err := json.Unmarshal(r.json[k], &vals); err != nil {
			return nil, k, ErrBadVector
		}
	} else {
		for _, f := range strings.FieldsFunc(r.csv[k], func(r rune) bool { return r == ' ' || r == ';' || r == ',' || r == '|' }) {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				return nil, k, ErrBadVector
			}
			vals = append(vals, v)
		}
	}
	out := make([]float32, len(vals))
	for i, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > math.MaxFloat32 {
			return nil, k, ErrBadVector
		}
		out[i] = float32(v)
	}
	return out, k, nil
}

// dateLayouts are the date forms records may use besides Unix seconds.
var dateLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02", time.RFC1123Z, time.RFC1123}

func (r record) date(keys []string) (time.Time, string, error) {
	k := r.first(keys)
	if k == "" {
		return time.Time{}, "", nil
	}
	var s string
	if r.json == nil {
		s = r.csv[k]
	} else if err := json.Unmarshal(r.json[k], &s); err != nil {
		var n float64
		if json.Unmarshal(r.json[k], &n) != nil {
			return time.Time{}, k, fmt.Errorf("%w: %s", ErrBadDate, r.json[k])
		}
		s = strconv.FormatFloat(n, 'f', -1, 64)
	}
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), k, nil
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), k, nil
		}
	}
	return time.Time{}, k, fmt.Errorf("%w: %q", ErrBadDate, s)
}

func fieldErr(key, want string) error {
	return fmt.Errorf("%w: %s must be %s", ErrBadField, key, want)
}

// item maps a record to an Item, naming the field of the first problem.
func (r record) item(input string, index int) (Item, error) {
	var it Item
	fail := func(field string, err error) (Item, error) {
		return Item{}, &ItemError{Input: input, Index: index, Ref: ref(&it), Field: field, Err: err}
	}
	for _, f := range []struct {
		keys []string
		dst  *string
	}{{fields.id, &it.ID}, {fields.url, &it.URL}, {fields.title, &it.Title}, {fields.summary, &it.Summary},
		{fields.text, &it.Text}, {fields.section, &it.Section}, {fields.language, &it.Language}} {
		v, err := r.str(f.keys)
		if err != nil {
			return fail(r.first(f.keys), err)
		}
		*f.dst = v
	}
	var err error
	if it.Topics, err = r.strings(fields.topics); err != nil {
		return fail(r.first(fields.topics), err)
	}
	var k string
	if it.Published, k, err = r.date(fields.published); err != nil {
		return fail(k, err)
	}
	if it.Popularity, k, err = r.number(fields.popularity); err != nil {
		return fail(k, err)
	}
	if it.Vector, k, err = r.vector(fields.vector); err != nil {
		return fail(k, err)
	}
	if err := clean(&it, input, index); err != nil {
		return Item{}, err
	}
	return it, nil
}

func lowerKeys(m map[string]json.RawMessage) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		lk := strings.ToLower(k)
		if _, dup := out[lk]; !dup || k == lk {
			out[lk] = v
		}
	}
	return out
}

func parseJSONL(b []byte, name string, skip func(error) bool) ([]Item, error) {
	b, _ = toUTF8(b)
	var items []Item
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), MaxInput)
	line := 0
	for sc.Scan() {
		line++
		l := bytes.TrimSpace(sc.Bytes())
		if len(l) == 0 {
			continue
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(l, &m); err != nil {
			err := &ItemError{Input: name, Index: line, Err: fmt.Errorf("%w: not a JSON object: %v", ErrFormat, err)}
			if skip(err) {
				continue
			}
			return nil, err
		}
		it, err := record{json: lowerKeys(m)}.item(name, line)
		if err != nil {
			if skip(err) {
				continue
			}
			return nil, err
		}
		items = append(items, it)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: line %d: %w", name, line+1, err)
	}
	return items, nil
}

func parseJSONArray(b []byte, name string, skip func(error) bool) ([]Item, error) {
	b, _ = toUTF8(b)
	var list []map[string]json.RawMessage
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("%s: %w: not a JSON array of objects: %v", name, ErrFormat, err)
	}
	items := make([]Item, 0, len(list))
	for i, m := range list {
		it, err := record{json: lowerKeys(m)}.item(name, i+1)
		if err != nil {
			if skip(err) {
				continue
			}
			return nil, err
		}
		items = append(items, it)
	}
	return items, nil
}

func parseCSV(b []byte, name string, skip func(error) bool) ([]Item, error) {
	b, _ = toUTF8(b)
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = 0
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w: no CSV header: %v", name, ErrFormat, err)
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(header[i]))
	}
	if !hasAny(header, fields.id) && !hasAny(header, fields.url) {
		return nil, fmt.Errorf("%s: %w: CSV header has neither an id nor a url column", name, ErrFormat)
	}
	var items []Item
	for {
		row, err := cr.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		m := make(map[string]string, len(header))
		for i, h := range header {
			m[h] = row[i]
		}
		it, err := record{csv: m}.item(name, line)
		if err != nil {
			if skip(err) {
				continue
			}
			return nil, err
		}
		items = append(items, it)
	}
	return items, nil
}

func hasAny(header, keys []string) bool {
	for _, h := range header {
		for _, k := range keys {
			if h == k {
				return true
			}
		}
	}
	return false
}
