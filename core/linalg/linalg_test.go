package linalg

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCholesky(t *testing.T) {
	// A = [[4 2 0] [2 5 1] [0 1 3]], x = [1 -2 3], b = A x.
	a := []float64{4, 2, 0, 2, 5, 1, 0, 1, 3}
	b := []float64{0, -5, 7}
	require.True(t, Cholesky(a, 3))
	Solve(a, 3, b)
	require.InDeltaSlice(t, []float64{1, -2, 3}, b, 1e-12)

	require.False(t, Cholesky([]float64{1, 2, 2, 1}, 2), "not positive definite")
	require.False(t, Cholesky([]float64{math.NaN()}, 1))
}
