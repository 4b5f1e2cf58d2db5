package eval

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// ALSConfig are the hyperparameters of implicit-feedback matrix
// factorisation (Hu, Koren and Volinsky 2008): every positive has
// confidence 1 + Alpha, every other user-item pair confidence 1 with
// preference 0.
type ALSConfig struct {
	Dim        int
	Lambda     float64
	Alpha      float64
	Iterations int
	Seed       uint64
}

// ALS is a trained factorisation: item factors and their Gram matrix.
type ALS struct {
	Config ALSConfig
	Y      *mat.Dense    // items × Dim
	Gram   *mat.SymDense // YᵀY
}

// TrainALS factorises the users' histories in train (items indexed up to
// nItems) by alternating least squares. Items no one has get zero factors.
func TrainALS(train []Interaction, nItems int, cfg ALSConfig) *ALS {
	users := make(map[int]int)
	var byUser [][]int
	byItem := make([][]int, nItems)
	for _, x := range train {
		u, ok := users[x.User]
		if !ok {
			u = len(byUser)
			users[x.User] = u
			byUser = append(byUser, nil)
		}
		byUser[u] = append(byUser[u], x.Item)
		byItem[x.Item] = append(byItem[x.Item], u)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5851f42d4c957f2d))
	y := mat.NewDense(nItems, cfg.Dim, nil)
	for i := range nItems {
		if len(byItem[i]) > 0 {
			for f := range cfg.Dim {
				y.Set(i, f, rng.NormFloat64()*0.01)
			}
		}
	}
	x := mat.NewDense(len(byUser), cfg.Dim, nil)
	for range cfg.Iterations {
		solveAll(x, y, byUser, cfg)
		solveAll(y, x, byItem, cfg)
	}
	a := &ALS{Config: cfg, Y: y, Gram: gram(y)}
	return a
}

// gram returns MᵀM.
func gram(m *mat.Dense) *mat.SymDense {
	_, d := m.Dims()
	g := mat.NewSymDense(d, nil)
	g.SymOuterK(1, m.T())
	return g
}

// solveAll sets every row r of dst to the regularised weighted least-squares
// fit against the fixed factors src, where rows[r] lists the src rows r
// interacted with.
func solveAll(dst, src *mat.Dense, rows [][]int, cfg ALSConfig) {
	g := gram(src)
	var wg sync.WaitGroup
	next := make(chan int, 64)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			f := newFolder(src, g, cfg)
			for r := range next {
				dst.SetRow(r, f.fold(rows[r]))
			}
		})
	}
	for r := range rows {
		next <- r
	}
	close(next)
	wg.Wait()
}

// folder solves (G + λI + α Σ yᵢyᵢᵀ) x = (1+α) Σ yᵢ for one row, reusing
// its buffers; one per goroutine.
type folder struct {
	src  *mat.Dense
	g    *mat.SymDense
	cfg  ALSConfig
	a    *mat.SymDense
	b, x *mat.VecDense
	chol mat.Cholesky
}

func newFolder(src *mat.Dense, g *mat.SymDense, cfg ALSConfig) *folder {
	d := cfg.Dim
	return &folder{src: src, g: g, cfg: cfg, a: mat.NewSymDense(d, nil),
		b: mat.NewVecDense(d, nil), x: mat.NewVecDense(d, nil)}
}

func (f *folder) fold(items []int) []float64 {
	d := f.cfg.Dim
	out := make([]float64, d)
	if len(items) == 0 {
		return out
	}
	f.a.CopySym(f.g)
	raw := f.a.RawSymmetric() // upper triangle, row-major
	b := f.b.RawVector().Data
	clear(b)
	for k := range d {
		raw.Data[k*raw.Stride+k] += f.cfg.Lambda
	}
	for _, i := range items {
		yi := f.src.RawRowView(i)
		for p := range d {
			row := raw.Data[p*raw.Stride : p*raw.Stride+d]
			ap := f.cfg.Alpha * yi[p]
			for q := p; q < d; q++ {
				row[q] += ap * yi[q]
			}
			b[p] += (1 + f.cfg.Alpha) * yi[p]
		}
	}
	if !f.chol.Factorize(f.a) {
		panic(fmt.Sprintf("als: system not positive definite (lambda %g)", f.cfg.Lambda))
	}
	if err := f.chol.SolveVecTo(f.x, f.b); err != nil {
		panic(fmt.Sprintf("als: solve: %v", err))
	}
	copy(out, f.x.RawVector().Data)
	return out
}

// FoldIn computes the user vector of a reader with the given history items
// against the trained item factors, as the device would.
func (a *ALS) FoldIn(items []int) []float64 {
	return newFolder(a.Y, a.Gram, a.Config).fold(items)
}

// ALSMethod ranks by the dot product of a user vector folded in from the
// user's own history with the item factors. Trained on every user's history
// it is the server-side ALS baseline; trained on a panel that excludes the
// reader it is what a device computes from publisher-supplied vectors.
type ALSMethod struct {
	name   string
	models []*ALS // one per fold
	fold   func(user int) int
	// cosine ranks by the cosine of user and item factors instead of
	// their dot product, which drops the item norms.
	cosine bool
}

// NewServerALS trains on every history in s.
func NewServerALS(s *Split, cfg ALSConfig) *ALSMethod {
	m := TrainALS(s.Train, len(s.Data.Items), cfg)
	return &ALSMethod{name: fmt.Sprintf("ALS, server-side (d=%d)", cfg.Dim), models: []*ALS{m}, fold: func(int) int { return 0 }}
}

// Name implements Method.
func (m *ALSMethod) Name() string { return m.name }

// Recommend implements Method.
func (m *ALSMethod) Recommend(u *TestUser, cand []bool, k int) []int {
	a := m.models[m.fold(u.User)]
	items := make([]int, len(u.History))
	for j, x := range u.History {
		items[j] = x.Item
	}
	xu := mat.NewVecDense(a.Config.Dim, a.FoldIn(items))
	n, _ := a.Y.Dims()
	score := mat.NewVecDense(n, nil)
	score.MulVec(a.Y, xu)
	sc := score.RawVector().Data
	if m.cosine {
		for i := range sc {
			if norm := mat.Norm(a.Y.RowView(i), 2); norm > 0 {
				sc[i] /= norm
			}
		}
	}
	return topK(sc, cand, k)
}

// NewPanelALS trains one model per fold of a random two-way split of all
// users; a reader is ranked with the model of the other fold, which never
// saw them (cross-fitting), so every user is evaluated by factors trained
// on a panel disjoint from them.
func NewPanelALS(s *Split, cfg ALSConfig, folds []int) *ALSMethod {
	m := &ALSMethod{name: fmt.Sprintf("ALS, panel + fold-in (d=%d)", cfg.Dim), fold: func(u int) int { return 1 - folds[u] }}
	for f := range 2 {
		var train []Interaction
		for _, x := range s.Train {
			if folds[x.User] == f {
				train = append(train, x)
			}
		}
		m.models = append(m.models, TrainALS(train, len(s.Data.Items), cfg))
	}
	return m
}

// Folds assigns every user of ds to fold 0 or 1 at random, half each.
func Folds(ds *Dataset, seed uint64) []int {
	rng := rand.New(rand.NewPCG(seed, 0x2545f4914f6cdd1d))
	folds := make([]int, len(ds.Users))
	for i, u := range rng.Perm(len(folds)) {
		folds[u] = i % 2
	}
	return folds
}

// Cosine returns the same method ranking by cosine similarity.
func (m *ALSMethod) Cosine() *ALSMethod {
	c := *m
	c.name += ", cosine"
	c.cosine = true
	return &c
}
