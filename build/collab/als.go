package collab

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/hearth-dev/hearth/core/linalg"
)

// Defaults of [Options] fields left at zero.
const (
	DefaultDim             = 64
	DefaultLambda          = 50
	DefaultLambdaTransit   = 200
	DefaultAlpha           = 20
	DefaultTransitionAlpha = 50
	DefaultIterations      = 10
	DefaultTwoStep         = 1
	DefaultTwoStepItems    = 50
	DefaultSeed            = 0x4865617274680002
)

// DefaultMinMembers is Options.MinMembers's default: a common floor for
// publishing anything counted from people. On MovieLens validation targets
// it costs a panel of half the users nothing measurable; smaller panels
// pay more (docs/catalogue.md, "A panel's privacy").
const DefaultMinMembers = 5

// DefaultTextWeight and DefaultTextWeightTransit are Options.TextWeight's
// defaults with a panel and with transition counts alone, chosen on
// MovieLens validation targets by the worst slice of readers
// (docs/catalogue.md, "The items' text, too"). A panel places an item by
// every member's whole history: among 0, 0.1, 0.25, 0.5 and 1, 0.25 gains
// about 1.2% nDCG@10 over none on every one of six draws of panel and
// seed, and more lets the text outweigh the data. Consecutive pairs are a
// thinner sample of what is read together, and the text makes up for
// more of it: among 0.25, 0.5, 0.75, 1 and 1.5, 1 (text and factors of
// equal length) did best, in the whole data and in each of two eras of
// its readers.
const (
	DefaultTextWeight        = 0.25
	DefaultTextWeightTransit = 1
)

// MaxTextWeight bounds Options.TextWeight: at 10 the text is a hundred
// times the factors' part of a vector's squared length.
const MaxTextWeight = 10

// Errors of the trainers and readers.
var (
	ErrOptions = errors.New("invalid options")
	ErrItem    = errors.New("item index out of range")
	ErrNoData  = errors.New("no interactions or transitions")
	ErrInput   = errors.New("invalid input")
)

// Options tune the factorisation. The zero value uses the defaults: the
// settings the quality evaluation chose on validation targets for the
// vectors it measures (docs/quality.md; tests/eval's Tuned takes them from
// here). For a panel, α = 20 is the confidence core gives a like (1 + 10 ×
// weight 2), so a panel member's interaction weighs what a reader's like
// weighs in the device's fold-in, and λ = 50. For transition counts
// (consecutive positives of the training histories), λ = 200 and a
// neighbour's α = 50.
type Options struct {
	// Dim is the factors' dimension (0 means DefaultDim, at most 255:
	// [Factors.MapText] adds one).
	Dim int
	// Lambda is the L2 regularisation, shipped with the factors for the
	// device's fold-in (0 means DefaultLambda with a panel,
	// DefaultLambdaTransit with transitions alone).
	Lambda float64
	// Alpha is the confidence slope of a panel member's items: an item
	// with r interactions has confidence 1 + Alpha·r (0 means
	// DefaultAlpha).
	Alpha float64
	// TransitionAlpha is the confidence slope of an item's neighbours in
	// the transition counts: a neighbour with strength r = ln(1 + count)
	// has confidence 1 + TransitionAlpha·r (0 means
	// DefaultTransitionAlpha).
	TransitionAlpha float64
	// TwoStep weighs the items two steps apart in the transition counts
	// beside the direct neighbours (twoStep): 0 means DefaultTwoStep, a
	// walk's expected count as much as a counted one; negative leaves them
	// out. TwoStepItems is how many of them an item's row keeps at most (0
	// means DefaultTwoStepItems).
	TwoStep      float64
	TwoStepItems int
	// MinMembers is how many panel members must have an item before the
	// panel teaches its vector (0 means DefaultMinMembers). A vector
	// learned from one member's rows points at that member's taste: the
	// catalogue is public, so an item fewer members have learns from the
	// transitions, or is mapped from its text, instead.
	MinMembers int
	// TextWeight is how strongly an item's text joins its learned vector
	// ([Factors.AppendText]): the unit text vector, scaled to TextWeight
	// times the factors' root-mean-square length, is appended to the
	// factor. 0 means DefaultTextWeight with a panel,
	// DefaultTextWeightTransit with transitions alone; negative appends
	// nothing.
	TextWeight float64
	// Iterations of alternating least squares (0 means DefaultIterations).
	Iterations int
	// Seed seeds the factors' random start (0 means DefaultSeed).
	Seed uint64
	// Progress, if set, is told after each iteration.
	Progress func(done, total int)
}

// Check reports whether o is valid, as training would: a build can refuse
// bad options before it reads its input.
func (o Options) Check() error {
	_, err := o.withDefaults()
	return err
}

// Resolved is o as training uses it, every zero field its default, for
// data with a panel or (panel false) transition counts alone, whose λ and
// text weight defaults differ; or an error when o is not valid.
func (o Options) Resolved(panel bool) (Options, error) {
	if !panel {
		o.Lambda = cmp.Or(o.Lambda, DefaultLambdaTransit)
		o.TextWeight = cmp.Or(o.TextWeight, DefaultTextWeightTransit)
	}
	return o.withDefaults()
}

func (o Options) withDefaults() (Options, error) {
	for _, v := range []float64{o.Lambda, o.Alpha, o.TransitionAlpha} {
		if !(v >= 0) || math.IsInf(v, 0) {
			return o, fmt.Errorf("%w: lambda %g, alpha %g, transition alpha %g: want finite values ≥ 0",
				ErrOptions, o.Lambda, o.Alpha, o.TransitionAlpha)
		}
	}
	if math.IsNaN(o.TwoStep) || math.IsInf(o.TwoStep, 0) {
		return o, fmt.Errorf("%w: two-step weight %g: want a finite value", ErrOptions, o.TwoStep)
	}
	if !(o.TextWeight <= MaxTextWeight) || math.IsInf(o.TextWeight, -1) {
		return o, fmt.Errorf("%w: text weight %g: want at most %d (beyond it the text is all the vectors say)", ErrOptions, o.TextWeight, MaxTextWeight)
	}
	if o.MinMembers < 0 {
		return o, fmt.Errorf("%w: panel floor %d members: want 1 or more (0 for the default)", ErrOptions, o.MinMembers)
	}
	if o.Dim < 0 || o.Dim > maxDim-1 || o.Iterations < 0 {
		return o, fmt.Errorf("%w: dim %d (0 to %d), iterations %d (≥ 0)", ErrOptions, o.Dim, maxDim-1, o.Iterations)
	}
	if o.Dim == 0 {
		o.Dim = DefaultDim
	}
	if o.Lambda == 0 {
		o.Lambda = DefaultLambda
	}
	if o.Alpha == 0 {
		o.Alpha = DefaultAlpha
	}
	if o.TransitionAlpha == 0 {
		o.TransitionAlpha = DefaultTransitionAlpha
	}
	if o.Iterations == 0 {
		o.Iterations = DefaultIterations
	}
	if o.TwoStep == 0 {
		o.TwoStep = DefaultTwoStep
	}
	if o.TwoStepItems <= 0 {
		o.TwoStepItems = DefaultTwoStepItems
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.MinMembers == 0 {
		o.MinMembers = DefaultMinMembers
	}
	if o.TextWeight == 0 {
		o.TextWeight = DefaultTextWeight
	}
	if o.Progress == nil {
		o.Progress = func(int, int) {}
	}
	return o, nil
}

// maxDim is the largest vector dimension a catalogue may have
// (catalog.DefaultMaxDim).
const maxDim = 256

// entry is one item of a row: the row's confidence in the item is 1 + c.
type entry struct {
	item int
	c    float64
}

// factorize runs implicit-feedback ALS (Hu, Koren and Volinsky 2008) on
// rows of items: every (row, item) pair listed has preference 1 and
// confidence 1 + c, every other pair preference 0 and confidence 1. It
// returns the item factors; items no row lists keep nil.
func factorize(rows [][]entry, nItems int, o Options) *Factors {
	d := o.Dim
	byItem := make([][]entry, nItems)
	for u, row := range rows {
		for _, e := range row {
			byItem[e.item] = append(byItem[e.item], entry{item: u, c: e.c})
		}
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x5851f42d4c957f2d))
	y := make([]float64, nItems*d)
	for i := range nItems {
		if len(byItem[i]) > 0 {
			for k := range d {
				y[i*d+k] = rng.NormFloat64() * 0.01
			}
		}
	}
	x := make([]float64, len(rows)*d)
	for it := range o.Iterations {
		solveAll(x, y, rows, o)
		solveAll(y, x, byItem, o)
		o.Progress(it+1, o.Iterations)
	}
	f := &Factors{Dim: d, Lambda: float32(o.Lambda), Y: make([][]float32, nItems)}
	for i := range nItems {
		if len(byItem[i]) == 0 {
			continue
		}
		v := make([]float32, d)
		for k := range d {
			v[k] = float32(y[i*d+k])
		}
		f.Y[i] = v
	}
	f.Gram = f.gram()
	return f
}

// gramOf returns MᵀM of the n×d row-major matrix m.
func gramOf(m []float64, d int) []float64 {
	g := make([]float64, d*d)
	for r := 0; r+d <= len(m); r += d {
		row := m[r : r+d]
		for a, va := range row {
			if va == 0 {
				continue
			}
			ga := g[a*d : a*d+d]
			for b := a; b < d; b++ {
				ga[b] += va * row[b]
			}
		}
	}
	for a := range d {
		for b := a + 1; b < d; b++ {
			g[b*d+a] = g[a*d+b]
		}
	}
	return g
}

// solveAll sets every row u of dst to the fit of rows[u] against the fixed
// factors src, in parallel. Rows without entries become zero.
func solveAll(dst, src []float64, rows [][]entry, o Options) {
	d := o.Dim
	g := gramOf(src, d)
	var wg sync.WaitGroup
	next := make(chan int, 256)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			s := newSolver(g, d, o.Lambda)
			for u := range next {
				out := dst[u*d : u*d+d]
				if !s.solve(src, rows[u], out) {
					clear(out)
				}
			}
		})
	}
	for u := range rows {
		next <- u
	}
	close(next)
	wg.Wait()
}

// solver solves (G + λI + Σ cᵢ yᵢyᵢᵀ) x = Σ (1 + cᵢ) yᵢ for one row,
// reusing its buffers; one per goroutine.
type solver struct {
	g      []float64
	d      int
	lambda float64
	a, b   []float64
}

func newSolver(g []float64, d int, lambda float64) *solver {
	return &solver{g: g, d: d, lambda: lambda, a: make([]float64, d*d), b: make([]float64, d)}
}

// solve writes the row's factor into out and reports whether the system
// was positive definite (it always is with λ > 0).
func (s *solver) solve(src []float64, row []entry, out []float64) bool {
	d := s.d
	if len(row) == 0 {
		clear(out)
		return true
	}
	copy(s.a, s.g)
	clear(s.b)
	for k := range d {
		s.a[k*d+k] += s.lambda
	}
	for _, e := range row {
		y := src[e.item*d : e.item*d+d]
		c := e.c
		// Only the lower triangle is read by the factorisation.
		for p := range d {
			f := c * y[p]
			ap := s.a[p*d : p*d+p+1]
			for q := range ap {
				ap[q] += f * y[q]
			}
			s.b[p] += (1 + c) * y[p]
		}
	}
	if !linalg.Cholesky(s.a, d) {
		return false
	}
	linalg.Solve(s.a, d, s.b)
	copy(out, s.b)
	return true
}
