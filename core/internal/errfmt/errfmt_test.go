package errfmt

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

var errSentinel = errors.New("sentinel")

func TestWrap(t *testing.T) {
	err := Wrap("decode: ", errSentinel, ": 3 bytes")
	require.Equal(t, fmt.Errorf("decode: %w: 3 bytes", errSentinel).Error(), err.Error())
	require.ErrorIs(t, err, errSentinel)
	outer := Wrap("load: ", err, "")
	require.ErrorIs(t, outer, errSentinel)
	require.Equal(t, "load: decode: sentinel: 3 bytes", outer.Error())
}

func TestFloat(t *testing.T) {
	for _, v := range []float32{0, -0.0, 0.5, -1, 1e-7, 1e6, 123456789, 1e21, math.MaxFloat32,
		math.SmallestNonzeroFloat32, float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
		require.Equal(t, fmt.Sprintf("%v", v), Float(v))
	}
}

func FuzzFloat(f *testing.F) {
	f.Add(uint32(0x3f000000))
	f.Fuzz(func(t *testing.T, bits uint32) {
		v := math.Float32frombits(bits)
		require.Equal(t, fmt.Sprintf("%v", v), Float(v))
	})
}
