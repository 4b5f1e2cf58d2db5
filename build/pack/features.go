package pack

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"

	"github.com/hearth-dev/hearth/build/text"
	"github.com/hearth-dev/hearth/core/catalog"
)

// features are the text features of a build.
type features struct {
	// m covers all of an item's text, head only its title and summary (it
	// is m itself when no item has body text).
	m, head *text.Matrix
	// main analyses topic names: the language most items are in.
	main text.Analyzer
	// surface names stems by the word items most often use for them.
	surface func(stems []string) map[string]string
}

// Document returns the text of an item the features are computed from: the
// title counts twice because it is the most deliberate summary an item has.
func Document(title, summary, body string) string {
	return title + "\n" + title + "\n" + summary + "\n" + body
}

func analyze(entries []entry, o Options) features {
	n := len(entries)
	langs := map[string]int{}
	an := make([]text.Analyzer, n)
	cache := map[string]text.Analyzer{}
	for i, e := range entries {
		l := e.src.Language
		if l == "" {
			l = o.Language
		}
		a, ok := cache[l]
		if !ok {
			a = text.NewAnalyzer(l)
			cache[l] = a
		}
		an[i] = a
		langs[a.Language()]++
	}
	mainLang, best := "en", 0
	for l, c := range langs {
		if c > best || c == best && l < mainLang {
			mainLang, best = l, c
		}
	}
	if o.Language != "" {
		mainLang = o.Language
	}
	docs := make([][]string, n)
	var heads [][]string
	hasText := false
	for _, e := range entries {
		if e.src.Text != "" {
			hasText = true
			break
		}
	}
	if hasText {
		heads = make([][]string, n)
	}
	var done sync.Mutex
	count := 0
	step := max(1, n/100)
	parallelItems(n, func(i int) {
		e := entries[i]
		body := e.src.Text
		if strings.Contains(body, "<") {
			body = text.PlainText(body)
		}
		docs[i] = an[i].Tokens(Document(e.src.Title, e.src.Summary, body))
		docs[i] = append(docs[i], e.terms...)
		if heads != nil {
			heads[i] = an[i].Tokens(Document(e.src.Title, e.src.Summary, ""))
		}
		done.Lock()
		count++
		if count%step == 0 || count == n {
			o.Progress("text", count, n)
		}
		done.Unlock()
	})
	m := text.NewMatrix(docs, text.MatrixOptions{})
	head := m
	if heads != nil {
		head = text.NewMatrix(heads, text.MatrixOptions{})
	}
	surface := func(stems []string) map[string]string {
		want := map[string]map[string]int{}
		for _, s := range stems {
			want[s] = map[string]int{}
		}
		for i, e := range entries {
			an[i].Analyze(Document(e.src.Title, e.src.Summary, ""), func(w, s string) {
				if f, ok := want[s]; ok {
					f[w]++
				}
			})
		}
		out := map[string]string{}
		for s, f := range want {
			out[s] = bestForm(f)
			if out[s] == "" {
				out[s] = s
			}
		}
		return out
	}
	return features{m: m, head: head, main: text.NewAnalyzer(mainLang), surface: surface}
}

// setVectors stores item vectors: the publisher's when items carry them,
// otherwise text vectors from a truncated SVD of the tf-idf matrix.
func setVectors(c *catalog.Catalogue, entries []entry, m *text.Matrix, o Options) error {
	supplied := 0
	dim := 0
	for _, e := range entries {
		if len(e.src.Vector) > 0 {
			supplied++
			if dim == 0 {
				dim = len(e.src.Vector)
			}
		}
	}
	if supplied > 0 {
		for _, e := range entries {
			if len(e.src.Vector) != dim {
				return fmt.Errorf("%w: %s has %d components, the first vector %d", ErrVector, source(e.src), len(e.src.Vector), dim)
			}
		}
		return setSupplied(c, entries, dim, o)
	}
	if len(o.Gram) > 0 {
		return fmt.Errorf("%w: given without item vectors", ErrGram)
	}
	if o.NoVectors {
		return nil
	}
	dim = min(o.Dim, len(m.Rows), len(m.Terms))
	if dim == 0 {
		return nil
	}
	o.Progress("vectors", 0, 1)
	vecs := text.Vectors(m, dim, o.Seed)
	o.Progress("vectors", 1, 1)
	c.Dim = dim
	for i, v := range vecs {
		// An item without any kept term has a zero vector: it ships none
		// rather than one that is similar to nothing.
		if q, s := text.Quantize(v); s > 0 {
			c.Items[i].Vector, c.Items[i].Scale = q, s
		}
	}
	return nil
}

// setSupplied quantises publisher vectors as they are (not normalised: ALS
// factors carry meaning in their length) and ships their Gram matrix.
func setSupplied(c *catalog.Catalogue, entries []entry, dim int, o Options) error {
	c.Dim = dim
	c.Lambda = o.Lambda
	for i, e := range entries {
		if q, s := text.Quantize(e.src.Vector); s > 0 {
			c.Items[i].Vector, c.Items[i].Scale = q, s
		}
	}
	if len(o.Gram) > 0 {
		if len(o.Gram) != dim*dim {
			return fmt.Errorf("%w: %d values, want %d×%d", ErrGram, len(o.Gram), dim, dim)
		}
		for a := range dim {
			for b := range dim {
				x, y := o.Gram[a*dim+b], o.Gram[b*dim+a]
				if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
					return fmt.Errorf("%w: entry (%d, %d) is not finite", ErrGram, a, b)
				}
				if math.Abs(float64(x-y)) > 1e-4*math.Max(1, math.Abs(float64(x))) {
					return fmt.Errorf("%w: not symmetric at (%d, %d)", ErrGram, a, b)
				}
			}
			if o.Gram[a*dim+a] < 0 {
				return fmt.Errorf("%w: diagonal entry %d is negative", ErrGram, a)
			}
		}
		c.Gram = append([]float32(nil), o.Gram...)
		return nil
	}
	g := make([]float64, dim*dim)
	for _, e := range entries {
		v := e.src.Vector
		for a := range dim {
			for b := a; b < dim; b++ {
				g[a*dim+b] += float64(v[a]) * float64(v[b])
			}
		}
	}
	c.Gram = make([]float32, dim*dim)
	for a := range dim {
		for b := a; b < dim; b++ {
			c.Gram[a*dim+b] = float32(g[a*dim+b])
			c.Gram[b*dim+a] = float32(g[a*dim+b])
		}
	}
	return nil
}

// parallelItems runs fn for every index on all cores; fn writes only its
// own index's output, so scheduling cannot change the result.
func parallelItems(n int, fn func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int, 256)
	for range max(1, workers()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

func workers() int { return runtime.GOMAXPROCS(0) }
