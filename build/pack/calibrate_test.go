package pack

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCalibrate(t *testing.T) {
	samples := func(n int, right func(k int) bool) []derivedSample {
		out := make([]derivedSample, n)
		for k := range out {
			out[k] = derivedSample{score: float64(k), correct: right(k)}
		}
		return out
	}
	t.Run("too few samples to measure", func(t *testing.T) {
		_, ok := calibrate(samples(minSamples-1, func(int) bool { return true }))
		require.False(t, ok)
	})
	t.Run("precision grows with the score", func(t *testing.T) {
		c, ok := calibrate(samples(100, func(k int) bool { return k >= 50 }))
		require.True(t, ok)
		require.Zero(t, c.at(10))
		require.Zero(t, c.at(-1), "below every sample: the lowest step")
		require.InDelta(t, 0.98, c.at(80), 0.01, "50 of 50, one standard error below")
		require.Equal(t, float32(maxDerived), c.weight(80), "a guess never weighs a tag's 1")
		require.Equal(t, float32(0.05), c.weight(10))
	})
	t.Run("pooled where precision falls", func(t *testing.T) {
		// Right at scores 0 to 19 and 40 to 99, wrong at 20 to 39: no
		// step may claim more for a higher score than for a lower one.
		c, ok := calibrate(samples(100, func(k int) bool { return k < 20 || k >= 40 }))
		require.True(t, ok)
		for k := range 99 {
			require.LessOrEqual(t, c.at(float64(k)), c.at(float64(k+1)), "score %d", k)
		}
	})
	t.Run("a few lucky samples stay below the bar", func(t *testing.T) {
		c, ok := calibrate(samples(42, func(k int) bool { return k >= 40 }))
		require.True(t, ok)
		require.Less(t, c.at(41), float64(ReasonPrecision), "2 of 2 right")
	})
}
