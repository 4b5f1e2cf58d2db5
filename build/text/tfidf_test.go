package text

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func rowNorm(r Row) float64 {
	var s float64
	for _, v := range r.Vals {
		s += float64(v) * float64(v)
	}
	return math.Sqrt(s)
}

func TestNewMatrix(t *testing.T) {
	docs := [][]string{
		{"go", "generic", "generic", "type"},
		{"go", "test", "fuzz"},
		{"go", "test", "bench"},
		{"go", "generic", "constraint"},
		{},
	}
	m := NewMatrix(docs, MatrixOptions{})
	// "go" is in 4 of 5 documents, over MaxDF 0.5, so it is no column.
	require.Equal(t, []string{"bench", "constraint", "fuzz", "generic", "test", "type"}, m.Terms)
	require.Equal(t, []int{1, 1, 1, 2, 2, 1}, m.DF)
	require.Len(t, m.Rows, 5)
	for i, r := range m.Rows[:4] {
		require.InDelta(t, 1, rowNorm(r), 1e-6, "row %d", i)
		require.IsIncreasing(t, r.Cols)
	}
	require.Empty(t, m.Rows[4].Cols)

	// In document 0, "generic" occurs twice but in two documents, "type"
	// once but only here: sublinear tf times idf decides.
	w := map[string]float32{}
	for p, j := range m.Rows[0].Cols {
		w[m.Terms[j]] = m.Rows[0].Vals[p]
	}
	idfG, idfT := math.Log(6.0/3)+1, math.Log(6.0/2)+1
	require.InDelta(t, (1+math.Log(2))*idfG/((1)*idfT), float64(w["generic"]/w["type"]), 1e-5)

	keep := NewMatrix(docs, MatrixOptions{MaxDF: 1, MinDF: 2})
	require.Equal(t, []string{"generic", "go", "test"}, keep.Terms)
}

func TestMatrix_TopTerms(t *testing.T) {
	m := NewMatrix([][]string{{"b", "a", "c", "c"}, {"a", "d"}, {"e"}, {"f"}}, MatrixOptions{})
	require.Equal(t, []string{"c", "b", "a"}, m.TopTerms(0, 5))
	require.Equal(t, []string{"c"}, m.TopTerms(0, 1))
	// Equal weights are ordered by term.
	require.Equal(t, []string{"b"}, NewMatrix([][]string{{"b", "x"}, {"x", "y"}, {"z"}, {"w"}}, MatrixOptions{}).TopTerms(0, 1))
}

func TestDot(t *testing.T) {
	a := Row{Cols: []int32{0, 2, 5}, Vals: []float32{1, 2, 3}}
	b := Row{Cols: []int32{2, 3, 5}, Vals: []float32{4, 1, 1}}
	require.Equal(t, float32(2*4+3*1), Dot(a, b))
	require.Equal(t, float32(0), Dot(a, Row{}))
}
