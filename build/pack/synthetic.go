package pack

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/hearth-dev/hearth/build/feed"
)

// Synthetic returns n made-up items for load tests and benchmarks: 60
// latent subjects, each with its own 80 words, English filler, tags on
// two items in three, Zipf-distributed page views and dates over three
// years. The same n and seed give the same items.
func Synthetic(n int, seed uint64) []feed.Item {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	const subjects, perSubject = 60, 80
	syll := []string{"ka", "lo", "mi", "ren", "sto", "va", "qui", "bex", "dor", "fen", "gal", "hu", "jin", "ol", "pra", "tis", "ul", "wex", "yor", "zan"}
	word := func() string {
		var b strings.Builder
		for range 2 + rng.IntN(3) {
			b.WriteString(syll[rng.IntN(len(syll))])
		}
		return b.String()
	}
	vocab := make([][]string, subjects)
	names := make([]string, subjects)
	for s := range vocab {
		names[s] = word()
		vocab[s] = make([]string, perSubject)
		for w := range vocab[s] {
			vocab[s][w] = word()
		}
	}
	filler := strings.Fields("the and a of to in is that for on with as it was by this from at an be are or new people time year way day first last many more most other some such only also after")
	zipf := rand.NewZipf(rng, 1.2, 1, 1_000_000)
	end := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	items := make([]feed.Item, n)
	for i := range items {
		s1 := rng.IntN(subjects)
		s2 := s1
		if rng.IntN(3) == 0 {
			s2 = rng.IntN(subjects)
		}
		pick := func(k int) string {
			ws := make([]string, k)
			for j := range ws {
				switch r := rng.IntN(10); {
				case r < 5:
					ws[j] = vocab[s1][int(math.Abs(rng.NormFloat64()*20))%perSubject]
				case r < 7:
					ws[j] = vocab[s2][int(math.Abs(rng.NormFloat64()*20))%perSubject]
				default:
					ws[j] = filler[rng.IntN(len(filler))]
				}
			}
			return strings.Join(ws, " ")
		}
		it := feed.Item{
			ID:         fmt.Sprintf("synthetic-%d", i),
			URL:        fmt.Sprintf("https://example.com/item/%d", i),
			Title:      pick(6),
			Summary:    pick(25),
			Text:       pick(60),
			Section:    fmt.Sprintf("section-%d", s1%8),
			Published:  end.Add(-time.Duration(rng.Int64N(3*365*24)) * time.Hour),
			Popularity: float64(zipf.Uint64()),
			Source:     fmt.Sprintf("synthetic item %d", i+1),
		}
		if rng.IntN(3) > 0 {
			it.Topics = []string{names[s1]}
			if s2 != s1 {
				it.Topics = append(it.Topics, names[s2])
			}
		}
		items[i] = it
	}
	return items
}
