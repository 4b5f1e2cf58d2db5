package feed

import (
	"strings"
	"time"
)

// months maps month abbreviations of languages whose feeds often write
// dates in their own words ("Seg, 24 Set 2018 19:42:40 -0300") to English.
// No abbreviation means different months in two of these languages.
var months = map[string]string{
	// Portuguese, Spanish, Italian, French, German, Dutch.
	"fev": "Feb", "abr": "Apr", "mai": "May", "ago": "Aug", "set": "Sep", "out": "Oct", "dez": "Dec",
	"ene": "Jan", "sept": "Sep", "dic": "Dec", "gen": "Jan", "mag": "May", "giu": "Jun", "lug": "Jul",
	"ott": "Oct", "janv": "Jan", "févr": "Feb", "fevr": "Feb", "fév": "Feb", "mars": "Mar", "avr": "Apr",
	"juin": "Jun", "juil": "Jul", "août": "Aug", "aout": "Aug", "déc": "Dec", "mär": "Mar", "mrz": "Mar",
	"okt": "Oct", "mei": "May", "maa": "Mar", "febr": "Feb",
}

var localLayouts = []string{
	"2 Jan 2006 15:04:05 -0700", "2 Jan 2006 15:04:05 MST", "2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05", "2 Jan 2006",
}

// parseLocalDate reads an RFC 822 style date written with another
// language's day and month names, which gofeed does not understand. The
// weekday is redundant and dropped.
func parseLocalDate(s string) (time.Time, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexByte(s, ','); i >= 0 && i < 12 {
		s = strings.TrimSpace(s[i+1:])
	}
	f := strings.Fields(s)
	if len(f) < 3 {
		return time.Time{}, false
	}
	m := strings.TrimSuffix(f[1], ".")
	if en, ok := months[m]; ok {
		f[1] = en
	}
	s = strings.Join(f, " ")
	for _, l := range localLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
