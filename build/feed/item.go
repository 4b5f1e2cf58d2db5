package feed

import (
	"fmt"
	"math"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/hearth-dev/hearth/build/text"
)

// Lengths of the text a catalogue ships per item: enough for a
// recommendation card, small enough that 10k items stay a small download.
const (
	MaxTitle   = 200
	MaxSummary = 300
)

// clean turns the raw fields of an item into the plain text and checked
// values an [Item] promises, or refuses the item.
func clean(it *Item, input string, index int) error {
	fail := func(field string, err error) error {
		return &ItemError{Input: input, Index: index, Ref: ref(it), Field: field, Err: err}
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"id", &it.ID}, {"url", &it.URL}, {"title", &it.Title}, {"summary", &it.Summary},
		{"text", &it.Text}, {"section", &it.Section}, {"language", &it.Language}} {
		if !utf8.ValidString(*f.v) {
			return fail(f.name, ErrBadText)
		}
	}
	for _, t := range it.Topics {
		if !utf8.ValidString(t) {
			return fail("topics", ErrBadText)
		}
	}
	it.ID = strings.TrimSpace(it.ID)
	it.URL = strings.TrimSpace(it.URL)
	it.Section = text.PlainText(it.Section)
	it.Language = strings.TrimSpace(it.Language)
	it.Title = text.Truncate(text.PlainText(it.Title), MaxTitle)
	it.Summary = text.Truncate(text.PlainText(it.Summary), MaxSummary)
	it.Text = text.PlainText(it.Text)
	topics := it.Topics[:0]
	for _, t := range it.Topics {
		if t = text.PlainText(t); t != "" {
			topics = append(topics, t)
		}
	}
	it.Topics = topics
	if it.URL == "" && isWebURL(it.ID) {
		it.URL = it.ID
	}
	if it.ID == "" && it.URL == "" {
		return fail("", ErrNoID)
	}
	if it.URL == "" {
		return fail("url", fmt.Errorf("%w: empty", ErrBadURL))
	}
	it.URL = urlEscaper.Replace(it.URL)
	if !isWebURL(it.URL) && !(strings.HasPrefix(it.URL, "/") && !strings.HasPrefix(it.URL, "//")) || hasControl(it.URL) {
		return fail("url", fmt.Errorf("%w: %q", ErrBadURL, it.URL))
	}
	if it.Title == "" {
		src := it.Summary
		if src == "" {
			src = it.Text
		}
		it.Title = text.Truncate(src, 80)
	}
	if it.Title == "" {
		return fail("title", ErrNoTitle)
	}
	if it.Summary == "" && it.Text != "" {
		it.Summary = text.Truncate(it.Text, MaxSummary)
	}
	if it.Popularity < 0 || math.IsNaN(it.Popularity) || math.IsInf(it.Popularity, 0) {
		return fail("popularity", ErrBadNumber)
	}
	for _, x := range it.Vector {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return fail("vector", ErrBadVector)
		}
	}
	it.Source = fmt.Sprintf("%s item %d", input, index)
	return nil
}

// ref names an item in a message by the best handle it has.
func ref(it *Item) string {
	for _, s := range []string{it.ID, it.URL, it.Title} {
		if s = strings.TrimSpace(s); s != "" && utf8.ValidString(s) {
			return text.Truncate(s, 80)
		}
	}
	return ""
}

// urlEscaper escapes characters that are never valid in a URL but that
// feeds leave in links; a recommendation link must not carry them raw.
var urlEscaper = strings.NewReplacer(" ", "%20", `"`, "%22", "'", "%27", "<", "%3C", ">", "%3E", "`", "%60", `\`, "%5C")

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
