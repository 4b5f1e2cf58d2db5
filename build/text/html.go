package text

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"
)

// blockTags end a run of text: their content never runs into the next word.
var blockTags = map[string]bool{
	"p": true, "br": true, "div": true, "li": true, "ul": true, "ol": true, "tr": true,
	"td": true, "th": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true,
	"h6": true, "blockquote": true, "pre": true, "hr": true, "section": true,
	"article": true, "figure": true, "figcaption": true, "table": true, "dt": true, "dd": true,
}

// PlainText returns the text of an HTML fragment with tags removed, entities
// decoded, script and style content dropped and white space collapsed. Text
// that is not HTML comes back with only its white space collapsed and its
// entities decoded, so it is safe to call on any feed field.
func PlainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return collapseSpace(s)
	}
	if !strings.Contains(s, "<") {
		return collapseSpace(html.UnescapeString(s))
	}
	var b strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(s))
	skip := 0
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return collapseSpace(b.String())
		case xhtml.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				skip++
				b.WriteByte(' ')
			default:
				if blockTags[string(name)] {
					b.WriteByte(' ')
				}
			}
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				if skip > 0 {
					skip--
				}
			default:
				if blockTags[string(name)] {
					b.WriteByte(' ')
				}
			}
		}
	}
}

func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' {
			space = b.Len() > 0
			continue
		}
		if r == utf8.RuneError || unicode.IsControl(r) {
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Truncate shortens s to at most max runes, cutting at a word boundary and
// marking the cut with an ellipsis.
func Truncate(s string, max int) string {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	rs := []rune(s)
	cut := max - 1
	for i := cut; i > max/2; i-- {
		if unicode.IsSpace(rs[i]) {
			cut = i
			break
		}
	}
	return strings.TrimRightFunc(string(rs[:cut]), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r)
	}) + "…"
}
