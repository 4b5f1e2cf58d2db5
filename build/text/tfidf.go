package text

import (
	"math"
	"slices"
	"sort"
)

// Row is one sparse row of a [Matrix]: column indices in increasing order
// and their values.
type Row struct {
	Cols []int32
	Vals []float32
}

// Matrix is a documents × terms tf-idf matrix with L2-normalised rows.
type Matrix struct {
	// Terms names each column; they are sorted so column order does not
	// depend on document order.
	Terms []string
	// DF is the number of documents each term occurs in.
	DF []int
	// Rows holds one sparse row per document; a document without kept
	// terms has an empty row.
	Rows []Row
}

// MatrixOptions tune which terms become columns. The zero value keeps every
// term that occurs in at most half of the documents.
type MatrixOptions struct {
	// MinDF drops terms found in fewer documents (0 means 1).
	MinDF int
	// MaxDF drops terms found in more than this fraction of the documents
	// (0 means 0.5). Such terms ("go" on a Go blog) describe the whole
	// site, not an item. It only applies from four documents on.
	MaxDF float64
}

// NewMatrix builds the tf-idf matrix of tokenised documents. Weights are
// sublinear term frequency (1 + ln tf) times smoothed inverse document
// frequency (ln((1+n)/(1+df)) + 1), and each row is scaled to unit length.
func NewMatrix(docs [][]string, o MatrixOptions) *Matrix {
	if o.MinDF <= 0 {
		o.MinDF = 1
	}
	if o.MaxDF <= 0 {
		o.MaxDF = 0.5
	}
	n := len(docs)
	df := map[string]int{}
	for _, d := range docs {
		seen := map[string]bool{}
		for _, t := range d {
			if !seen[t] {
				seen[t] = true
				df[t]++
			}
		}
	}
	maxDF := n
	if n >= 4 {
		maxDF = int(math.Floor(o.MaxDF * float64(n)))
	}
	terms := make([]string, 0, len(df))
	for t, c := range df {
		if c >= o.MinDF && c <= maxDF {
			terms = append(terms, t)
		}
	}
	sort.Strings(terms)
	col := make(map[string]int32, len(terms))
	m := &Matrix{Terms: terms, DF: make([]int, len(terms)), Rows: make([]Row, n)}
	idf := make([]float64, len(terms))
	for j, t := range terms {
		col[t] = int32(j)
		m.DF[j] = df[t]
		idf[j] = math.Log(float64(1+n)/float64(1+df[t])) + 1
	}
	for i, d := range docs {
		tf := map[int32]int{}
		for _, t := range d {
			if j, ok := col[t]; ok {
				tf[j]++
			}
		}
		r := Row{Cols: make([]int32, 0, len(tf)), Vals: make([]float32, 0, len(tf))}
		for j := range tf {
			r.Cols = append(r.Cols, j)
		}
		slices.Sort(r.Cols)
		var norm float64
		w := make([]float64, len(r.Cols))
		for k, j := range r.Cols {
			w[k] = (1 + math.Log(float64(tf[j]))) * idf[j]
			norm += w[k] * w[k]
		}
		norm = math.Sqrt(norm)
		for k := range w {
			r.Vals = append(r.Vals, float32(w[k]/norm))
		}
		m.Rows[i] = r
	}
	return m
}

// TopTerms returns up to k terms of document i with the highest weights,
// highest first; equal weights are ordered by term.
func (m *Matrix) TopTerms(i, k int) []string {
	r := m.Rows[i]
	idx := make([]int, len(r.Cols))
	for p := range idx {
		idx[p] = p
	}
	sort.Slice(idx, func(a, b int) bool {
		va, vb := r.Vals[idx[a]], r.Vals[idx[b]]
		if va != vb {
			return va > vb
		}
		return m.Terms[r.Cols[idx[a]]] < m.Terms[r.Cols[idx[b]]]
	})
	if len(idx) > k {
		idx = idx[:k]
	}
	out := make([]string, len(idx))
	for p, q := range idx {
		out[p] = m.Terms[r.Cols[q]]
	}
	return out
}

// Dot returns the dot product of two rows, which is their cosine similarity
// because rows have unit length.
func Dot(a, b Row) float32 {
	var s float32
	i, j := 0, 0
	for i < len(a.Cols) && j < len(b.Cols) {
		switch {
		case a.Cols[i] == b.Cols[j]:
			s += a.Vals[i] * b.Vals[j]
			i++
			j++
		case a.Cols[i] < b.Cols[j]:
			i++
		default:
			j++
		}
	}
	return s
}
