package text

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// SVD options that are not worth a knob: ten extra columns and two power
// iterations give the leading singular directions of a tf-idf matrix to a
// few percent (Halko, Martinsson and Tropp 2011, algorithm 4.4), at the
// cost of six passes over the sparse matrix.
const (
	oversample = 10
	powerIters = 2
)

// Vectors returns, for every row of m, its coordinates along the dim leading
// singular directions of m (the rows of U·Σ of a truncated SVD, latent
// semantic analysis), scaled to unit length so that a dot product is a
// cosine similarity. Rows without terms get a zero vector. Every vector has
// exactly dim components; when m has lower rank the extra ones are zero.
//
// The SVD is randomized (a Gaussian start drawn from seed, refined by power
// iteration), so it needs a handful of passes over the sparse matrix instead
// of a dense factorisation: 100k items take seconds. Each direction's sign
// is fixed so that its largest component is positive, which keeps vectors
// comparable between rebuilds of a similar catalogue.
func Vectors(m *Matrix, dim int, seed uint64) [][]float32 {
	n, v := len(m.Rows), len(m.Terms)
	out := make([][]float32, n)
	for i := range out {
		out[i] = make([]float32, dim)
	}
	l := min(dim+oversample, n, v)
	if l == 0 || dim == 0 {
		return out
	}
	t := transpose(m)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	omega := make([]float64, v*l)
	for i := range omega {
		omega[i] = rng.NormFloat64()
	}
	q := orthonormalize(mulRows(m.Rows, omega, n, l), n, l)
	for range powerIters {
		z := orthonormalize(mulRows(t, q, v, l), v, l)
		q = orthonormalize(mulRows(m.Rows, z, n, l), n, l)
	}
	// B = Qᵀ·A is l×v; its Gram matrix B·Bᵀ (l×l) has the eigenvectors W and
	// eigenvalues σ² with A ≈ Q·W·Σ·Vᵀ, so the item coordinates are Q·W·Σ.
	bt := mulRows(t, q, v, l)
	c := mat.NewSymDense(l, nil)
	for a := range l {
		for b := a; b < l; b++ {
			var s float64
			for j := range v {
				s += bt[j*l+a] * bt[j*l+b]
			}
			c.SetSym(a, b, s)
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(c, true) {
		return out
	}
	vals := eig.Values(nil)
	var w mat.Dense
	eig.VectorsTo(&w)
	order := make([]int, l)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return vals[order[a]] > vals[order[b]] })
	k := min(dim, l)
	// proj[p][c] = W[p][order[c]]·σ: Q·proj gives the item coordinates.
	proj := make([]float64, l*k)
	for c := range k {
		sigma := math.Sqrt(math.Max(vals[order[c]], 0))
		for p := range l {
			proj[p*k+c] = w.At(p, order[c]) * sigma
		}
	}
	coords := make([]float64, n*k)
	parallel(n, func(i int) {
		row := coords[i*k : (i+1)*k]
		for p := range l {
			qp := q[i*l+p]
			if qp == 0 {
				continue
			}
			for c := range k {
				row[c] += qp * proj[p*k+c]
			}
		}
	})
	for c := range k {
		best, arg := 0.0, -1
		for i := range n {
			if a := math.Abs(coords[i*k+c]); a > best {
				best, arg = a, i
			}
		}
		if arg >= 0 && coords[arg*k+c] < 0 {
			for i := range n {
				coords[i*k+c] = -coords[i*k+c]
			}
		}
	}
	parallel(n, func(i int) {
		row := coords[i*k : (i+1)*k]
		var s float64
		for _, x := range row {
			s += x * x
		}
		if s == 0 {
			return
		}
		s = math.Sqrt(s)
		for c, x := range row {
			out[i][c] = float32(x / s)
		}
	})
	return out
}

// transpose returns the rows of mᵀ: one row per term listing the documents
// that contain it.
func transpose(m *Matrix) []Row {
	counts := make([]int, len(m.Terms))
	for _, r := range m.Rows {
		for _, j := range r.Cols {
			counts[j]++
		}
	}
	t := make([]Row, len(m.Terms))
	for j, c := range counts {
		t[j] = Row{Cols: make([]int32, 0, c), Vals: make([]float32, 0, c)}
	}
	for i, r := range m.Rows {
		for k, j := range r.Cols {
			t[j].Cols = append(t[j].Cols, int32(i))
			t[j].Vals = append(t[j].Vals, r.Vals[k])
		}
	}
	return t
}

// mulRows multiplies the sparse matrix given by rows (len(rows) × len(x)/l)
// by the dense row-major matrix x (… × l) and returns the row-major result.
func mulRows(rows []Row, x []float64, n, l int) []float64 {
	y := make([]float64, n*l)
	parallel(n, func(i int) {
		yi := y[i*l : (i+1)*l]
		r := rows[i]
		for k, j := range r.Cols {
			a := float64(r.Vals[k])
			xj := x[int(j)*l : (int(j)+1)*l]
			for c := range l {
				yi[c] += a * xj[c]
			}
		}
	})
	return y
}

// orthonormalize returns an orthonormal basis of the columns of the
// row-major n×l matrix y, by modified Gram-Schmidt run twice ("twice is
// enough", Giraud et al. 2005). A column that is numerically dependent on
// the earlier ones becomes zero, which is what a rank-deficient input needs.
func orthonormalize(y []float64, n, l int) []float64 {
	cols := make([][]float64, l)
	for c := range l {
		col := make([]float64, n)
		for i := range n {
			col[i] = y[i*l+c]
		}
		cols[c] = col
	}
	for c := range l {
		col := cols[c]
		before := norm(col)
		for range 2 {
			for p := range c {
				d := dot(cols[p], col)
				if d == 0 {
					continue
				}
				for i, x := range cols[p] {
					col[i] -= d * x
				}
			}
		}
		nrm := norm(col)
		if nrm == 0 || nrm < 1e-10*before {
			clear(col)
			continue
		}
		for i := range col {
			col[i] /= nrm
		}
	}
	for c, col := range cols {
		for i, x := range col {
			y[i*l+c] = x
		}
	}
	return y
}

func dot(a, b []float64) float64 {
	var s float64
	for i, x := range a {
		s += x * b[i]
	}
	return s
}

func norm(a []float64) float64 { return math.Sqrt(dot(a, a)) }

// parallel runs fn(i) for i in [0, n) on all cores. Each i must write only
// its own output, so the result does not depend on scheduling.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for w := range workers {
		lo, hi := w*chunk, min((w+1)*chunk, n)
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				fn(i)
			}
		}()
	}
	wg.Wait()
}
