package pack

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/stretchr/testify/require"
)

func TestPlain(t *testing.T) {
	for in, want := range map[string]string{
		"Plain title":                             "Plain title",
		"Invoice \u202Efdp.exe\u202C":             "Invoice fdp.exe",
		"\u2066isolated\u2069 and \u202Aembedded": "isolated and embedded",
		"zero\u200Bwidth\u2060joined\uFEFF":       "zerowidthjoined",
		"می\u200Cخواهم":                           "می\u200Cخواهم", // Persian spelling keeps its non-joiner
		"👩\u200D💻":                                "👩\u200D💻",      // an emoji sequence keeps its joiner
	} {
		require.Equal(t, want, plain(in), strconv.QuoteToASCII(in))
	}
}

// TestPlain_SameAsJS: js/recs.js strips exactly the characters the builder
// does, so a catalogue from another builder renders as this one's.
func TestPlain_SameAsJS(t *testing.T) {
	src, err := os.ReadFile("../../js/recs.js")
	require.NoError(t, err)
	m := regexp.MustCompile(`const hiddenMarks = /\[([^\]]+)\]/g;`).FindSubmatch(src)
	require.NotNil(t, m, "hiddenMarks in js/recs.js")
	var ranges [][2]rune
	for _, part := range regexp.MustCompile(`\\u([0-9A-Fa-f]{4})(?:-\\u([0-9A-Fa-f]{4}))?`).FindAllSubmatch(m[1], -1) {
		lo, err := strconv.ParseUint(string(part[1]), 16, 32)
		require.NoError(t, err)
		hi := lo
		if len(part[2]) > 0 {
			hi, err = strconv.ParseUint(string(part[2]), 16, 32)
			require.NoError(t, err)
		}
		ranges = append(ranges, [2]rune{rune(lo), rune(hi)})
	}
	require.NotEmpty(t, ranges)
	inJS := func(r rune) bool {
		for _, x := range ranges {
			if r >= x[0] && r <= x[1] {
				return true
			}
		}
		return false
	}
	for r := rune(0); r <= 0xFFFF; r++ {
		require.Equal(t, hiddenMark(r), inJS(r), "U+%04X", r)
	}
}

// TestBuild_PlainText: titles, summaries, sections and tags reach the
// catalogue without bidi controls and zero-width marks.
func TestBuild_PlainText(t *testing.T) {
	items := pets()
	items[0].Title = "Why cats \u202Eprup\u202C"
	items[0].Section = "\u2066News\u2069"
	items[1].Summary = "\u200B" + items[1].Summary
	items[3].Topics = []string{"Do\u200Bgs"}
	c, err := Build(items, catalog.Policy{}, Options{KeepText: true})
	require.NoError(t, err)
	i := find(t, c, items[0].URL)
	require.Equal(t, "Why cats prup", c.Items[i].Title)
	require.Equal(t, "News", c.Items[i].Section)
	require.False(t, strings.ContainsRune(c.Items[find(t, c, items[1].URL)].Summary, 0x200B))
	for _, topic := range c.Topics {
		require.Equal(t, plain(topic), topic)
	}
	require.Contains(t, topicsOf(c, find(t, c, items[3].URL)), "dogs")
}
