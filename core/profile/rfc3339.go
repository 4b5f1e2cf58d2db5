package profile

import (
	"math/bits"
	"strconv"
)

// RFC 3339 times of the JSON export, written and read without package
// time's calendar. time.Format and time.Parse are a layout engine (time.parse,
// Time.appendFormat, nextStdChunk: 62 KB of wasm code), and Time.Date,
// Time.Clock and time.Date reach time zone lookup (Location.lookup, tzset:
// 20 KB more) even in UTC. The arithmetic below is time's own (absolute
// days from March 1 of year -292277022400, as time/time.go computes them),
// so every int64 gives time's result, overflow included; rfc3339_test.go
// fuzzes both functions against package time.

// Constants of time/time.go.
const (
	secondsPerDay      = 86400
	marchThruDecember  = 31 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31
	absoluteYears      = 292277022400
	absoluteToInternal = -(absoluteYears*365.2425 + marchThruDecember) * secondsPerDay
	unixToInternal     = (1969*365 + 1969/4 - 1969/100 + 1969/400) * secondsPerDay
	// unixToAbsolute turns Unix seconds into time's absolute seconds.
	unixToAbsolute int64 = unixToInternal - absoluteToInternal
)

// appendRFC3339 appends the Unix time sec in UTC as
// time.Unix(sec, 0).UTC().Format(time.RFC3339) writes it.
func appendRFC3339(b []byte, sec int64) []byte {
	// time.Unix(sec, 0).UTC(): Time.absSec, absSeconds.days and .clock,
	// absDays.date.
	abs := uint64(sec + unixToAbsolute)
	second := int(abs % secondsPerDay)
	hour := second / 3600
	second -= hour * 3600
	minute := second / 60
	second -= minute * 60
	d := 4*(abs/secondsPerDay) + 3
	century := d / 146097
	hi, lo := bits.Mul32(2939745, uint32(d%146097)|3)
	cyear, ayday := hi, lo/2939745/4
	md := 2141*ayday + 197913
	month, day := int(md>>16), 1+int((md&0xFFFF)/2141)
	janFeb := 0
	if ayday >= marchThruDecember {
		janFeb = 1
	}
	year := int(century*100-absoluteYears) + int(cyear) + janFeb
	month -= 12 * janFeb

	// time writes the sign, then at least four digits.
	y := uint64(year)
	if year < 0 {
		b = append(b, '-')
		y = uint64(-year)
	}
	var buf [20]byte
	digits := strconv.AppendUint(buf[:0], y, 10)
	for n := len(digits); n < 4; n++ {
		b = append(b, '0')
	}
	b = append(b, digits...)
	for _, f := range [...]struct {
		sep byte
		v   int
	}{{'-', month}, {'-', day}, {'T', hour}, {':', minute}, {':', second}} {
		b = append(b, f.sep, byte('0'+f.v/10), byte('0'+f.v%10))
	}
	return append(b, 'Z')
}

// parseRFC3339 returns the Unix time of s and whether time.Parse(time.RFC3339, s)
// accepts it. That is its fast path's strict form (2006-01-02T15:04:05, an
// optional fraction, Z or ±hh:mm) united with what its general layout parser
// also takes: a one-digit hour, a comma before the fraction, offsets up to
// ±24:60. The fraction is checked but not kept: Unix seconds round down and
// the fraction is never negative.
func parseRFC3339(s string) (int64, bool) {
	num := func(s string, lo, hi int) (int, bool) {
		n := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			n = n*10 + int(s[i]-'0')
		}
		return n, lo <= n && n <= hi
	}
	if len(s) < len("2006-01-02T1:04:05Z") || s[4] != '-' || s[7] != '-' || s[10] != 'T' {
		return 0, false
	}
	year, ok1 := num(s[0:4], 0, 9999)
	month, ok2 := num(s[5:7], 1, 12)
	day, ok3 := num(s[8:10], 1, 31)
	if !ok1 || !ok2 || !ok3 || day > daysIn(month, year) {
		return 0, false
	}
	s = s[11:]
	h := 2
	if s[1] == ':' {
		h = 1
	}
	if len(s) < h+7 || s[h] != ':' || s[h+3] != ':' {
		return 0, false
	}
	hour, ok1 := num(s[:h], 0, 23)
	minute, ok2 := num(s[h+1:h+3], 0, 59)
	second, ok3 := num(s[h+4:h+6], 0, 59)
	if !ok1 || !ok2 || !ok3 {
		return 0, false
	}
	s = s[h+6:]
	if len(s) >= 2 && (s[0] == '.' || s[0] == ',') && '0' <= s[1] && s[1] <= '9' {
		n := 2
		for n < len(s) && '0' <= s[n] && s[n] <= '9' {
			n++
		}
		s = s[n:]
	}
	offset := 0
	switch {
	case s == "Z":
	case len(s) == len("+07:00") && (s[0] == '+' || s[0] == '-') && s[3] == ':':
		oh, ok1 := num(s[1:3], 0, 24)
		om, ok2 := num(s[4:6], 0, 60)
		if !ok1 || !ok2 {
			return 0, false
		}
		offset = (oh*60 + om) * 60
		if s[0] == '-' {
			offset = -offset
		}
	default:
		return 0, false
	}
	// time.Date(year, month, day, hour, minute, second, 0, time.UTC).Unix():
	// dateToAbsDays of time/time.go, in range for years 0 to 9999.
	janFeb := uint32(0)
	if month < 3 {
		janFeb = 1
	}
	amonth := uint32(month) + 12*janFeb
	y := uint64(year) - uint64(janFeb) + absoluteYears
	days := 146097*(y/100)/4 + uint64(1461*uint32(y%100)/4+(979*amonth-2919)>>5) + uint64(day) - 1
	sec := int64(days*secondsPerDay) + int64(hour*3600+minute*60+second) - unixToAbsolute
	return sec - int64(offset), true
}

// daysIn is the number of days in month of year (proleptic Gregorian).
func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
