// Package feed reads a publisher's content into plain [Item] values: RSS,
// Atom and JSON Feed documents (through github.com/mmcdole/gofeed), JSON
// Lines, JSON arrays and CSV, from files, URLs or readers.
//
// # Field mapping
//
// docs/catalogue.md lists which field of each format becomes which [Item]
// field. Every text field comes back as plain, valid UTF-8 with HTML removed
// and white space collapsed.
//
// # Errors
//
// Real feeds are messy. An item that cannot be used (no id or link, a link
// that is not a URL, a date that cannot be read, text that is not UTF-8 in
// any encoding the feed declares) is refused with an [*ItemError] naming
// the input, the item's position and its id or title, and the problem. A
// feed without a declared encoding that is not valid UTF-8 is read as
// Windows-1252, the encoding such feeds almost always use.
//
// # Example
//
//	items, err := feed.ReadFile("goblog.json")
//	if err != nil {
//		return fmt.Errorf("read feed: %w", err)
//	}
//	fmt.Println(len(items), "items, first:", items[0].Title)
package feed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/hearth-dev/hearth/build/text"
)

// Item is one piece of content as the publisher describes it, before any
// catalogue features are computed. It is a plain struct so that sources
// other than feeds can fill it.
type Item struct {
	// ID is the publisher's own identifier (RSS guid, Atom or JSON Feed id,
	// an "id" column); the catalogue id is a hash of it, or of URL when it
	// is empty.
	ID string
	// URL is the item's absolute link (or a site-relative path).
	URL   string
	Title string
	// Summary is a short plain-text description shown to readers.
	Summary string
	// Text is the plain-text body; it feeds the text features and is not
	// shipped in the catalogue.
	Text    string
	Section string
	// Topics are the publisher's categories or tags, as given.
	Topics    []string
	Published time.Time
	// Popularity is an aggregate count such as page views; 0 when unknown.
	Popularity float64
	// Vector is a publisher-supplied item vector (for example trained item
	// factors); nil when the catalogue should derive vectors from text.
	Vector []float32
	// Language is the item's or feed's language tag ("en", "de-DE"), empty
	// when unknown.
	Language string
	// Source names where the item came from ("feed.rss item 3") for error
	// messages.
	Source string
}

// Errors an [*ItemError] wraps, and errors of whole inputs.
var (
	ErrNoID       = errors.New("no id, guid or link")
	ErrNoTitle    = errors.New("no title and no summary")
	ErrBadURL     = errors.New("link is not an http(s) URL or a site path")
	ErrBadDate    = errors.New("date not understood")
	ErrBadText    = errors.New("text is not valid UTF-8")
	ErrBadNumber  = errors.New("not a non-negative number")
	ErrBadVector  = errors.New("vector is not a list of finite numbers")
	ErrEmpty      = errors.New("no items")
	ErrFormat     = errors.New("format not recognised")
	ErrBadField   = errors.New("field has the wrong type")
	ErrTooLarge   = errors.New("input too large")
	ErrHTTPStatus = errors.New("unexpected HTTP status")
)

// ItemError reports an item that was refused.
type ItemError struct {
	Input string // file name or URL
	Index int    // 1-based position of the item (line for JSON Lines and CSV)
	Ref   string // the item's id, link or title, whatever it has
	Field string // the offending field, if one
	Err   error
}

func (e *ItemError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: item %d", e.Input, e.Index)
	if e.Ref != "" {
		fmt.Fprintf(&b, " (%s)", e.Ref)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ": %s", e.Field)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

func (e *ItemError) Unwrap() error { return e.Err }

// MaxInput bounds the bytes read from one input: 256 MiB holds a million
// short items and keeps a runaway URL from filling memory.
const MaxInput = 256 << 20

// Format is an input format.
type Format string

// Input formats. FormatAuto detects the format from the name and content.
const (
	FormatAuto  Format = ""
	FormatFeed  Format = "feed" // RSS 0.9x/1.0/2.0, Atom, JSON Feed
	FormatJSONL Format = "jsonl"
	FormatJSON  Format = "json" // a JSON array of objects with the JSON Lines fields
	FormatCSV   Format = "csv"
)

// Parse reads all items of one input. The name (a file name or URL) is used
// to detect the format by its extension and in error messages; content
// decides where the extension does not.
func Parse(r io.Reader, name string) ([]Item, error) {
	return ParseFormat(r, name, FormatAuto)
}

// ParseFormat is [Parse] with the format given.
func ParseFormat(r io.Reader, name string, f Format) ([]Item, error) {
	return parse(r, name, f, func(error) bool { return false })
}

// ParseLenient is [Parse] that skips refused items instead of failing: each
// one's [*ItemError] goes to warn. Errors of the whole input still fail.
func ParseLenient(r io.Reader, name string, warn func(error)) ([]Item, error) {
	return parse(r, name, FormatAuto, func(err error) bool { warn(err); return true })
}

// ReadLenient is [Read] that skips refused items like [ParseLenient].
func ReadLenient(ctx context.Context, name string, warn func(error)) ([]Item, error) {
	if isURL(name) {
		body, f, err := get(ctx, nil, name)
		if err != nil {
			return nil, err
		}
		defer body.Close()
		return parse(body, name, f, func(err error) bool { warn(err); return true })
	}
	fh, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return ParseLenient(fh, filepath.Base(name), warn)
}

func parse(r io.Reader, name string, f Format, skip func(error) bool) ([]Item, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxInput+1))
	if err != nil {
		return nil, fmt.Errorf("%s: read: %w", name, err)
	}
	if len(b) > MaxInput {
		return nil, fmt.Errorf("%s: %w (over %d bytes)", name, ErrTooLarge, MaxInput)
	}
	if f == FormatAuto {
		f = detect(b, name)
	}
	var items []Item
	switch f {
	case FormatFeed:
		items, err = parseFeed(b, name, skip)
	case FormatJSONL:
		items, err = parseJSONL(b, name, skip)
	case FormatJSON:
		items, err = parseJSONArray(b, name, skip)
	case FormatCSV:
		items, err = parseCSV(b, name, skip)
	default:
		return nil, fmt.Errorf("%s: %w: %q", name, ErrFormat, f)
	}
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrEmpty)
	}
	detectLanguage(items)
	return items, nil
}

// detectLanguage fills in the language of items that do not name one,
// guessed from all of them together: one input is one publication, and
// one item is often too short to tell.
func detectLanguage(items []Item) {
	var b strings.Builder
	for _, it := range items {
		if it.Language == "" && b.Len() < 200_000 {
			b.WriteString(it.Title)
			b.WriteByte(' ')
			b.WriteString(it.Summary)
			b.WriteByte(' ')
			b.WriteString(it.Text[:min(len(it.Text), 2000)])
			b.WriteByte(' ')
		}
	}
	if b.Len() == 0 {
		return
	}
	lang := text.DetectLanguage(b.String())
	for i := range items {
		if items[i].Language == "" {
			items[i].Language = lang
		}
	}
}

// detect picks a format from the name's extension, then from the content.
func detect(b []byte, name string) Format {
	ext := strings.ToLower(path.Ext(stripQuery(name)))
	switch ext {
	case ".jsonl", ".ndjson":
		return FormatJSONL
	case ".csv":
		return FormatCSV
	case ".rss", ".atom", ".xml", ".rdf":
		return FormatFeed
	}
	t := bytes.TrimLeft(b, " \t\r\n\ufeff")
	t = bytes.TrimPrefix(t, []byte("\xef\xbb\xbf"))
	switch {
	case len(t) == 0:
		return FormatFeed
	case t[0] == '<':
		return FormatFeed
	case t[0] == '[':
		return FormatJSON
	case t[0] == '{':
		head := t[:min(len(t), 4096)]
		if bytes.Contains(head, []byte("jsonfeed.org/version")) {
			return FormatFeed
		}
		return FormatJSONL
	}
	if ext == ".json" {
		return FormatFeed
	}
	return FormatCSV
}

func stripQuery(name string) string {
	if i := strings.IndexAny(name, "?#"); i >= 0 {
		return name[:i]
	}
	return name
}

// ReadFile parses the file at path; the format is detected as in [Parse].
func ReadFile(path string) ([]Item, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(f, filepath.Base(path))
}

// Fetch downloads and parses the input at an http(s) URL. A text/csv or
// application/x-ndjson response is read as such whatever the URL says.
func Fetch(ctx context.Context, client *http.Client, url string) ([]Item, error) {
	body, f, err := get(ctx, client, url)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	return ParseFormat(body, url, f)
}

func get(ctx context.Context, client *http.Client, url string) (io.ReadCloser, Format, error) {
	if client == nil {
		client = &http.Client{Timeout: time.Minute}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, "", fmt.Errorf("fetch %s: %w", url, err)
	}
	req.Header.Set("User-Agent", "hearth-catalog")
	resp, err := client.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("fetch %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, "", fmt.Errorf("fetch %s: %w: %s", url, ErrHTTPStatus, resp.Status)
	}
	f := FormatAuto
	switch ct := resp.Header.Get("Content-Type"); {
	case strings.HasPrefix(ct, "text/csv"):
		f = FormatCSV
	case strings.HasPrefix(ct, "application/x-ndjson"), strings.HasPrefix(ct, "application/jsonl"):
		f = FormatJSONL
	}
	return resp.Body, f, nil
}

func isURL(name string) bool {
	return strings.HasPrefix(name, "http://") || strings.HasPrefix(name, "https://")
}

// Read parses a file path or, for names starting with http:// or https://,
// a URL.
func Read(ctx context.Context, name string) ([]Item, error) {
	if isURL(name) {
		return Fetch(ctx, nil, name)
	}
	return ReadFile(name)
}
