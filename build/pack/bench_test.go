package pack

import (
	"fmt"
	"testing"

	"github.com/hearth-dev/hearth/core/catalog"
)

// BenchmarkBuild builds and encodes synthetic catalogues; the 100k case is
// the scale docs/catalogue.md reports.
//
//	go test -run '^$' -bench Build -benchtime 1x ./build/catalogue/
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("synthetic-%d", n), func(b *testing.B) {
			items := Synthetic(n, DefaultSeed)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				c, err := Build(items, catalog.Policy{}, Options{})
				if err != nil {
					b.Fatal(err)
				}
				enc, _, err := Encode(c)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(len(enc))/float64(n), "bytes/item")
			}
		})
	}
}
