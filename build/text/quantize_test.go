package text

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestQuantize(t *testing.T) {
	tests := []struct {
		name string
		v    []float32
	}{
		{"unit vector", []float32{0.6, -0.8, 0}},
		{"tiny values", []float32{1e-6, -3e-7, 2e-6}},
		{"large values", []float32{1000, -250, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, scale := Quantize(tt.v)
			require.Len(t, q, len(tt.v))
			require.Greater(t, scale, float32(0))
			back := Dequantize(q, scale)
			var peak float64
			for k := range tt.v {
				require.InDelta(t, tt.v[k], back[k], float64(scale)/2+1e-12, "component %d", k)
				peak = math.Max(peak, math.Abs(float64(int8(q[k]))))
			}
			require.Equal(t, 127.0, peak, "the largest component uses the full range")
		})
	}
	q, scale := Quantize([]float32{0, 0})
	require.Equal(t, []byte{0, 0}, q)
	require.Zero(t, scale)
}

func TestNormalize(t *testing.T) {
	v := []float32{3, 4}
	require.True(t, Normalize(v))
	require.InDeltaSlice(t, []float32{0.6, 0.8}, v, 1e-7)
	z := []float32{0, 0}
	require.False(t, Normalize(z))
	require.Equal(t, []float32{0, 0}, z)
}
