// Package text turns item text into the features a catalogue carries: stemmed
// tokens, tf-idf key terms, and dense vectors from a truncated SVD of the
// tf-idf matrix, quantised to int8.
//
// Nothing here knows about feeds or catalogues: every function takes plain
// strings, token lists or matrices, so any source of items (a feed, a CMS
// export, a film database) can use the same features.
//
// # Pipeline
//
//	a := text.NewAnalyzer("en")
//	docs := make([][]string, len(items))
//	for i, it := range items {
//		docs[i] = a.Tokens(it.Title + " " + it.Body)
//	}
//	m := text.NewMatrix(docs, text.MatrixOptions{})
//	terms := m.TopTerms(0, 8)          // key terms of the first item
//	vecs := text.SVD(m, 32, 1)         // one L2-normalised row per item
//	q, scale := text.Quantize(vecs[0]) // int8 bytes and their scale
//
// # Determinism
//
// The same input gives bit-identical output on one platform: vocabulary
// order is lexical, ties are broken by term, the SVD's random start comes
// from the seed argument, and parallel loops only ever write disjoint rows.
package text

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"github.com/kljensen/snowball/hungarian"
	"github.com/kljensen/snowball/norwegian"
	"github.com/kljensen/snowball/russian"
	"github.com/kljensen/snowball/spanish"
	"github.com/kljensen/snowball/swedish"
)

// Analyzer splits text into lowercase words, drops stop words and stems what
// is left, for one language. The zero value analyses English.
type Analyzer struct {
	lang  string
	stem  func(string, bool) string
	stop  func(string) bool
	cache *stemCache
}

// stemCache remembers stems: a catalogue repeats a few thousand words
// millions of times, and snowball costs a microsecond a word (it was two
// thirds of a 100k-item build before this cache).
type stemCache struct {
	m sync.Map
	n atomic.Int64
}

// maxCached bounds the cache; words past it are stemmed every time.
const maxCached = 1 << 20

func (c *stemCache) stem(w string, f func(string, bool) string) string {
	if c == nil {
		return f(w, true)
	}
	if s, ok := c.m.Load(w); ok {
		return s.(string)
	}
	s := f(w, true)
	if c.n.Load() < maxCached {
		if _, loaded := c.m.LoadOrStore(w, s); !loaded {
			c.n.Add(1)
		}
	}
	return s
}

// languages maps ISO 639-1 codes to the snowball stemmers that exist.
var languages = map[string]struct {
	name string
	stem func(string, bool) string
	stop func(string) bool
}{
	"en": {"english", english.Stem, isEnglishStop},
	"fr": {"french", french.Stem, isFrenchStop},
	"es": {"spanish", spanish.Stem, spanish.IsStopWord},
	"ru": {"russian", russian.Stem, russian.IsStopWord},
	"sv": {"swedish", swedish.Stem, swedish.IsStopWord},
	"no": {"norwegian", norwegian.Stem, norwegian.IsStopWord},
	"nb": {"norwegian", norwegian.Stem, norwegian.IsStopWord},
	"nn": {"norwegian", norwegian.Stem, norwegian.IsStopWord},
	"hu": {"hungarian", hungarian.Stem, hungarian.IsStopWord},
}

// NewAnalyzer returns the analyzer for a language given as a BCP 47 tag
// ("en", "en-US", "pt_BR") or an English language name ("french"). An empty
// tag means English. A language snowball has no stemmer for is still split
// into lowercase words, without stemming or stop words: plain words are
// better features than wrongly stemmed ones.
func NewAnalyzer(language string) Analyzer {
	code := languageCode(language)
	if l, ok := languages[code]; ok {
		return Analyzer{lang: code, stem: l.stem, stop: l.stop, cache: new(stemCache)}
	}
	return Analyzer{lang: code, stop: stopLists[code]}
}

// Stems reports whether the analyzer stems its language.
func (a Analyzer) Stems() bool { return a.stem != nil || a.lang == "" }

// Language returns the ISO 639-1 code the analyzer was made for ("en" for the
// zero value).
func (a Analyzer) Language() string {
	if a.lang == "" {
		return "en"
	}
	return a.lang
}

func languageCode(language string) string {
	l := strings.ToLower(strings.TrimSpace(language))
	if l == "" {
		return "en"
	}
	for code, v := range languages {
		if l == v.name {
			return code
		}
	}
	switch l {
	case "german":
		return "de"
	case "portuguese":
		return "pt"
	case "italian":
		return "it"
	case "dutch":
		return "nl"
	}
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	return l
}

// Tokens returns the stemmed, lowercase, non-stop-word tokens of s in order.
func (a Analyzer) Tokens(s string) []string {
	var out []string
	a.Analyze(s, func(_, stem string) { out = append(out, stem) })
	return out
}

// Analyze calls fn with every word of s that survives stop-word removal,
// lowercased, and its stem. The word lets a caller name a stem in a form a
// reader recognises ("generics" rather than "generic").
func (a Analyzer) Analyze(s string, fn func(word, stem string)) {
	stem, stop := a.stem, a.stop
	if a.lang == "" {
		stem, stop = english.Stem, isEnglishStop
	}
	for _, w := range words(s) {
		if stop != nil && stop(w) {
			continue
		}
		st := w
		if stem != nil {
			st = a.cache.stem(w, stem)
		}
		if st == "" {
			continue
		}
		fn(w, st)
	}
}

// words splits s into lowercase words of letters and digits. Apostrophes
// inside a word are dropped with an English possessive "'s", so "Go's" and
// "don't" become "go" and "dont". Words of one letter, numbers, words that
// are mostly digits (hashes, colours, ids) and words over 30 letters are
// dropped: they are noise for every language here.
func words(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		w := b.String()
		b.Reset()
		w = strings.TrimSuffix(w, "'s")
		w = strings.ReplaceAll(w, "'", "")
		if n := utf8.RuneCountInString(w); n < 2 || n > 30 || mostlyDigits(w) {
			return
		}
		out = append(out, w)
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			b.WriteRune(unicode.ToLower(r))
		case (r == '\'' || r == '’') && b.Len() > 0 && i+1 < len(rs) && unicode.IsLetter(rs[i+1]):
			b.WriteByte('\'')
		default:
			if b.Len() > 0 {
				flush()
			}
		}
	}
	if b.Len() > 0 {
		flush()
	}
	return out
}

// mostlyDigits reports numbers ("2024"), codes with more digits than
// letters ("1755s") and long mixes of both ("f3f3f3", "n7aye29b7qa"), while
// names like "v2", "x86", "arm64" and "chacha8rand" stay.
func mostlyDigits(w string) bool {
	digits, n := 0, 0
	for _, r := range w {
		n++
		if unicode.IsDigit(r) {
			digits++
		}
	}
	return digits == n || n > 3 && 2*digits > n || n >= 6 && 3*digits >= n
}

// extraEnglish are words snowball's short English list keeps but that carry
// no topic in web text.
var extraEnglish = map[string]bool{
	"also": true, "can": true, "could": true, "would": true, "may": true, "might": true,
	"must": true, "shall": true, "us": true, "via": true, "yet": true, "however": true,
	"within": true, "without": true, "upon": true, "whether": true, "across": true,
	"among": true, "since": true, "though": true, "although": true, "like": true,
	"get": true, "gets": true, "got": true, "let": true, "lets": true, "one": true,
	"many": true, "much": true, "every": true, "even": true, "still": true, "well": true,
	"way": true, "ways": true, "make": true, "makes": true, "made": true, "use": true,
	"used": true, "uses": true, "using": true, "said": true, "says": true, "say": true,
	"dont": true, "doesnt": true, "didnt": true, "isnt": true, "arent": true, "wasnt": true,
	"cant": true, "wont": true, "youre": true, "weve": true, "theyre": true, "thats": true,
	"ive": true, "im": true, "www": true, "com": true,
}

func isEnglishStop(w string) bool { return english.IsStopWord(w) || extraEnglish[w] }

// extraFrench are articles snowball's French list leaves out.
var extraFrench = map[string]bool{"les": true, "des": true, "du": true, "au": true, "aux": true, "une": true, "cette": true, "ces": true}

func isFrenchStop(w string) bool { return french.IsStopWord(w) || extraFrench[w] }
