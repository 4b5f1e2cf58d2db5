package profile

import (
	"errors"
	"math"
	"math/bits"
)

var (
	// errRange is a number whose nearest float32 is an infinity.
	errRange = errors.New("out of range")
	// errDigits is a number parseFloat32 cannot decide (below).
	errDigits = errors.New("has too many digits to read exactly")
)

// parseFloat32 reads a JSON number (as jsonReader.number returns it) as
// strconv.ParseFloat(s, 32) does: the nearest float32, ties to even, ±0 for
// what rounds to zero. It reports errRange where ParseFloat reports
// ErrRange (the nearest is an infinity), and errDigits for the one input
// it cannot decide: more than 19 significant digits whose first 19 leave
// the value on both sides of the halfway point between two float32s
// (ParseFloat would read up to 800 digits; an export writes at most 9).
//
// strconv.ParseFloat is the only parser of floats the engine would link:
// with its tables of powers of ten (11 KB) and its decimal fallback it cost
// the engine 7.5 KB of brotli (docs/size.md). FuzzParseFloat32 holds this
// one to it.
//
// The value is computed in float64 with at most four roundings, a relative
// error under 2^-51; when every value within 2^-49 of it rounds to the same
// float32, that is the answer. Otherwise a halfway point lies that close,
// and the digits are compared with it exactly, in integers.
func parseFloat32(num []byte) (float32, error) {
	neg := num[0] == '-'
	if neg {
		num = num[1:]
	}
	var m uint64 // the first 19 significant digits
	nd, e := 0, 0
	trunc, frac := false, false
	i := 0
	for ; i < len(num); i++ {
		c := num[i]
		switch {
		case c == '.':
			frac = true
			continue
		case c == 'e' || c == 'E':
		case c == '0' && nd == 0:
			if frac {
				e--
			}
			continue
		case nd < 19:
			m = m*10 + uint64(c-'0')
			nd++
			if frac {
				e--
			}
			continue
		default:
			trunc = trunc || c != '0'
			if !frac {
				e++
			}
			continue
		}
		break
	}
	if i < len(num) {
		i++ // 'e'
		eneg := num[i] == '-'
		if num[i] == '-' || num[i] == '+' {
			i++
		}
		x := 0
		for ; i < len(num); i++ {
			if x < 10000 {
				x = x*10 + int(num[i]-'0')
			}
		}
		if eneg {
			x = -x
		}
		e += x
	}
	f, err := float32(0), error(nil)
	switch {
	case m == 0 || nd+e <= -46: // below 1e-46, under half the smallest float32
	case nd+e > 39: // 1e39 and over
		err = errRange
	default:
		f, err = nearestFloat32(m, e, trunc)
	}
	if neg {
		f = -f
	}
	return f, err
}

// pow10 holds the powers of ten float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// nearestFloat32 returns the float32 nearest to m×10^e (m > 0, with
// 10^-46 <= m×10^e < 10^39); trunc says digits beyond m were dropped, so
// the value lies strictly between m×10^e and (m+1)×10^e.
func nearestFloat32(m uint64, e int, trunc bool) (float32, error) {
	f, x := float64(m), e
	for ; x > 22; x -= 22 {
		f *= 1e22
	}
	for ; x < -22; x += 22 {
		f /= 1e22
	}
	if x >= 0 {
		f *= pow10[x]
	} else {
		f /= pow10[-x]
	}
	lo, hi := float32(f*(1-0x1p-49)), float32(f*(1+0x1p-49))
	if lo != hi {
		// Between the two neighbours lies their halfway point: exact in
		// float64, MaxFloat32 + 2^103 above the largest float32.
		mid := float64(lo) + (float64(hi)-float64(lo))/2
		if math.IsInf(float64(hi), 1) {
			mid = math.MaxFloat32 + 0x1p103
		}
		c := cmpHalfway(m, e, mid)
		if trunc && c < 0 {
			if cmpHalfway(m+1, e, mid) > 0 {
				return 0, errDigits
			}
		}
		switch {
		case c > 0 || c == 0 && trunc:
			lo = hi
		case c == 0 && math.Float32bits(hi)&1 == 0:
			lo = hi // a tie goes to the even one
		}
	}
	if math.IsInf(float64(lo), 1) {
		return 0, errRange
	}
	return lo, nil
}

// cmpHalfway compares m×10^e with mid exactly: -1, 0 or +1.
// m×5^e×2^e against mid's 53-bit significand times a power of two, in
// 320-bit integers (5^65 < 2^151).
func cmpHalfway(m uint64, e int, mid float64) int {
	frac, exp := math.Frexp(mid)
	mm, k := uint64(frac*(1<<53)), exp-53
	var a, b nat
	a.set(m)
	b.set(mm)
	sa, sb := 0, k
	if e >= 0 {
		a.mul5(e)
		sa += e
	} else {
		b.mul5(-e)
		sb -= e
	}
	if sa > sb {
		a.shl(sa - sb)
	} else {
		b.shl(sb - sa)
	}
	for i := len(a) - 1; i >= 0; i-- {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// nat is an unsigned integer in little-endian 64-bit words, large enough
// for cmpHalfway's operands (at most 2^64×5^38 or 2^53×5^65, shifted to
// meet the other within 2^-49).
type nat [5]uint64

func (z *nat) set(v uint64) { *z = nat{v} }

// mul5 multiplies z by 5^n, 5^27 (under 2^64) at a time.
func (z *nat) mul5(n int) {
	for n > 0 {
		k := min(n, 27)
		n -= k
		p := uint64(1)
		for range k {
			p *= 5
		}
		var carry uint64
		for i := range z {
			hi, lo := bits.Mul64(z[i], p)
			var c uint64
			z[i], c = bits.Add64(lo, carry, 0)
			carry = hi + c
		}
	}
}

// shl shifts z left by n bits.
func (z *nat) shl(n int) {
	w, s := n/64, uint(n%64)
	for i := len(z) - 1; i >= 0; i-- {
		var v uint64
		if j := i - w; j >= 0 {
			v = z[j] << s
			if j > 0 && s > 0 {
				v |= z[j-1] >> (64 - s)
			}
		}
		z[i] = v
	}
}
