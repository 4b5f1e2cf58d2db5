package text

import "math"

// Normalize scales v to unit length in place and reports whether it could:
// a zero vector stays zero.
func Normalize(v []float32) bool {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 || math.IsInf(s, 0) || math.IsNaN(s) {
		return false
	}
	s = math.Sqrt(s)
	for i, x := range v {
		v[i] = float32(float64(x) / s)
	}
	return true
}

// Quantize returns v as int8 values in two's complement bytes and the scale
// that maps them back: v[k] ≈ float32(int8(q[k])) * scale. The scale is
// chosen per vector so its largest component uses the full range ±127; a
// zero vector gives zero bytes and a zero scale.
func Quantize(v []float32) (q []byte, scale float32) {
	q = make([]byte, len(v))
	var m float64
	for _, x := range v {
		m = math.Max(m, math.Abs(float64(x)))
	}
	if m == 0 || math.IsNaN(m) || math.IsInf(m, 0) {
		return q, 0
	}
	s := m / 127
	for k, x := range v {
		r := math.Round(float64(x) / s)
		r = math.Max(-127, math.Min(127, r))
		q[k] = byte(int8(r))
	}
	return q, float32(s)
}

// Dequantize is the inverse of [Quantize], up to rounding.
func Dequantize(q []byte, scale float32) []float32 {
	v := make([]float32, len(q))
	for k, b := range q {
		v[k] = float32(int8(b)) * scale
	}
	return v
}
