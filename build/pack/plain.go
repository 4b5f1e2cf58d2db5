package pack

import "strings"

// hiddenMark reports whether r changes how the text around it is laid out
// while showing nothing itself: a bidi embedding, override or isolate
// (U+202A-U+202E, U+2066-U+2069), with which a title can make a link's
// text read reversed, or a zero-width space, word joiner or byte order mark
// (U+200B, U+2060, U+FEFF). The zero-width non-joiner and joiner (U+200C,
// U+200D) are kept: Persian, Indic scripts and emoji need them, and they
// move nothing. js/recs.js strips the same characters when it renders
// (TestPlain_SameAsJS).
func hiddenMark(r rune) bool {
	return r == 0x200B || r == 0x2060 || r == 0xFEFF || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// plain returns s without the characters hiddenMark reports.
func plain(s string) string {
	if strings.IndexFunc(s, hiddenMark) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if hiddenMark(r) {
			return -1
		}
		return r
	}, s)
}
