package text

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// topicDocs makes n documents over k latent topics of 30 words each: every
// document mixes words of one or two topics, so the tf-idf matrix has a
// clear rank-k structure plus noise.
func topicDocs(n, k int, seed uint64) [][]string {
	rng := rand.New(rand.NewPCG(seed, 1))
	docs := make([][]string, n)
	for i := range docs {
		a, b := rng.IntN(k), rng.IntN(k)
		for range 20 {
			t := a
			if rng.IntN(4) == 0 {
				t = b
			}
			docs[i] = append(docs[i], fmt.Sprintf("t%dw%d", t, rng.IntN(30)))
		}
	}
	return docs
}

// exactVectors computes the same vectors as Vectors by a dense SVD.
func exactVectors(m *Matrix, dim int) [][]float64 {
	a := mat.NewDense(len(m.Rows), len(m.Terms), nil)
	for i, r := range m.Rows {
		for p, j := range r.Cols {
			a.Set(i, int(j), float64(r.Vals[p]))
		}
	}
	var svd mat.SVD
	if !svd.Factorize(a, mat.SVDThin) {
		panic("svd failed")
	}
	var u mat.Dense
	svd.UTo(&u)
	s := svd.Values(nil)
	out := make([][]float64, len(m.Rows))
	for i := range out {
		out[i] = make([]float64, dim)
		var norm float64
		for c := range dim {
			out[i][c] = u.At(i, c) * s[c]
			norm += out[i][c] * out[i][c]
		}
		for c := range dim {
			out[i][c] /= math.Sqrt(norm)
		}
	}
	return out
}

func cos32(a, b []float32) float64 {
	var s float64
	for k := range a {
		s += float64(a[k]) * float64(b[k])
	}
	return s
}

func cos64(a, b []float64) float64 {
	var s float64
	for k := range a {
		s += a[k] * b[k]
	}
	return s
}

func TestVectors(t *testing.T) {
	const n, k = 300, 6
	m := NewMatrix(topicDocs(n, k, 7), MatrixOptions{})
	got := Vectors(m, k, 42)
	want := exactVectors(m, k)
	require.Len(t, got, n)

	t.Run("unit length", func(t *testing.T) {
		for i, v := range got {
			require.Len(t, v, k)
			require.InDelta(t, 1, math.Sqrt(cos32(v, v)), 1e-5, "item %d", i)
		}
	})
	t.Run("matches the exact truncated SVD", func(t *testing.T) {
		// Directions may differ by a rotation inside a cluster of equal
		// singular values, so compare what ranking uses: cosines.
		var worst float64
		for i := 0; i < n; i += 3 {
			for j := i + 1; j < n; j += 7 {
				worst = math.Max(worst, math.Abs(cos32(got[i], got[j])-cos64(want[i], want[j])))
			}
		}
		require.Less(t, worst, 0.05)
	})
	t.Run("deterministic for a seed", func(t *testing.T) {
		require.Equal(t, got, Vectors(m, k, 42))
	})
	t.Run("another seed finds the same space", func(t *testing.T) {
		other := Vectors(m, k, 43)
		for i := 0; i < n; i += 5 {
			for j := i + 1; j < n; j += 11 {
				require.InDelta(t, cos32(got[i], got[j]), cos32(other[i], other[j]), 0.05)
			}
		}
	})
	t.Run("largest component of each direction is positive", func(t *testing.T) {
		for c := range k {
			best := float32(0)
			for _, v := range got {
				if math.Abs(float64(v[c])) > math.Abs(float64(best)) {
					best = v[c]
				}
			}
			require.Greater(t, best, float32(0), "direction %d", c)
		}
	})
}

func TestVectors_LowRank(t *testing.T) {
	// Three documents over two distinct texts: rank 2, asked for 8.
	m := NewMatrix([][]string{{"a", "b"}, {"a", "b"}, {"c", "d"}, {}}, MatrixOptions{MaxDF: 1})
	got := Vectors(m, 8, 1)
	require.Len(t, got, 4)
	for _, v := range got {
		require.Len(t, v, 8)
		for _, x := range v {
			require.False(t, math.IsNaN(float64(x)))
		}
	}
	require.InDelta(t, 1, cos32(got[0], got[1]), 1e-5)
	require.InDelta(t, 0, cos32(got[0], got[2]), 1e-5)
	require.Equal(t, make([]float32, 8), got[3], "an empty document has a zero vector")
}
