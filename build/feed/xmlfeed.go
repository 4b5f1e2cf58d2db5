package feed

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"golang.org/x/text/encoding/charmap"
)

// xmlEncoding finds the encoding an XML declaration names.
var xmlEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// toUTF8 returns b as UTF-8. Input that already is, or whose XML declaration
// names another encoding (gofeed converts those), is returned unchanged.
// Anything else that is not valid UTF-8 was written in a legacy encoding
// without saying so; Windows-1252 is the one such feeds use in practice (it
// agrees with ISO-8859-1 on every printable character).
func toUTF8(b []byte) ([]byte, bool) {
	if utf8.Valid(b) {
		return b, false
	}
	head := b[:min(len(b), 512)]
	if m := xmlEncoding.FindSubmatch(head); m != nil {
		enc := strings.ToLower(string(m[1]))
		if enc != "utf-8" && enc != "utf8" {
			return b, false
		}
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return b, false
	}
	return out, true
}

func parseFeed(b []byte, name string, skip func(error) bool) ([]Item, error) {
	b, _ = toUTF8(b)
	f, err := gofeed.NewParser().Parse(bytes.NewReader(b))
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			return nil, fmt.Errorf("%s: %w: not RSS, Atom or JSON Feed", name, ErrFormat)
		}
		return nil, fmt.Errorf("%s: parse feed: %w", name, err)
	}
	base, _ := url.Parse(f.Link)
	items := make([]Item, 0, len(f.Items))
	for i, fi := range f.Items {
		if fi == nil {
			continue
		}
		it := Item{
			ID:       fi.GUID,
			URL:      fi.Link,
			Title:    fi.Title,
			Summary:  fi.Description,
			Text:     fi.Content,
			Topics:   append([]string(nil), fi.Categories...),
			Language: f.Language,
		}
		if it.URL == "" && len(fi.Links) > 0 {
			it.URL = fi.Links[0]
		}
		if it.URL != "" && base != nil && base.Host != "" {
			if u, err := url.Parse(strings.TrimSpace(it.URL)); err == nil && !u.IsAbs() && !strings.HasPrefix(it.URL, "/") {
				it.URL = base.ResolveReference(u).String()
			}
		}
		if it.Summary == "" && fi.ITunesExt != nil {
			it.Summary = fi.ITunesExt.Summary
			if it.Summary == "" {
				it.Summary = fi.ITunesExt.Subtitle
			}
		}
		if dc := fi.DublinCoreExt; dc != nil && len(dc.Language) > 0 && dc.Language[0] != "" {
			it.Language = dc.Language[0]
		}
		switch {
		case fi.PublishedParsed != nil:
			it.Published = fi.PublishedParsed.UTC()
		case fi.UpdatedParsed != nil:
			it.Published = fi.UpdatedParsed.UTC()
		case strings.TrimSpace(fi.Published) != "" || strings.TrimSpace(fi.Updated) != "":
			d := strings.TrimSpace(fi.Published)
			if d == "" {
				d = strings.TrimSpace(fi.Updated)
			}
			if t, ok := parseLocalDate(d); ok {
				it.Published = t
				break
			}
			err := &ItemError{Input: name, Index: i + 1, Ref: ref(&it), Field: "published",
				Err: fmt.Errorf("%w: %q", ErrBadDate, d)}
			if skip(err) {
				continue
			}
			return nil, err
		}
		if err := clean(&it, name, i+1); err != nil {
			if skip(err) {
				continue
			}
			return nil, err
		}
		items = append(items, it)
	}
	return items, nil
}
