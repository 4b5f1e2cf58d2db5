package pack

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/hearth-dev/hearth/build/text"
)

// Calibration of derived topics. The builder derives the topics of its own
// tagged items again with their tags held out (heldOut) and fits how often
// a derived topic of a given score was among the item's tags (calibrate).
// A topic derived for an untagged item then weighs that cautious precision,
// and the catalogue's policy sets reason_min to ReasonPrecision, so the
// engine tells "You follow" only for topics that clear it. A catalogue
// with too few tagged items to measure sets reason_min to 1: tags only.
const (
	// ReasonPrecision is the bar: the least precision, measured on held-out
	// tags, at which a derived topic may be told to a reader as a topic
	// they follow (docs/engine.md has the measurement).
	ReasonPrecision = 0.7
	// heldOutFolds is how many folds the tagged items are split into:
	// each fold's tags are held out in turn and its items' topics derived
	// from the other folds' tags.
	heldOutFolds = 5
	// maxHeldOut bounds the tagged items derived again: their scoring is
	// most of the cost in a large catalogue, and a few thousand samples
	// fit the calibration as well as more.
	maxHeldOut = 5000
	// minSamples is the fewest held-out derived topics a calibration
	// rests on.
	minSamples = 30
	// confidenceZ places a step's precision one standard error below what
	// its samples show (the lower end of a Wilson interval), so that a
	// step of a few lucky samples does not claim certainty.
	confidenceZ = 1.0
	// maxDerived caps a derived topic's weight below a tag's 1: a guess
	// never weighs as much as the publisher's word.
	maxDerived = 0.95
	// topicSeed seeds the shuffle of the tagged items into folds.
	topicSeed = 0x4865617274680002
)

// derivedSample is a topic derived for an item whose tags were held out:
// its score and whether the item's tags include it.
type derivedSample struct {
	score   float64
	correct bool
}

// heldOut derives topics for the tagged items (at most maxHeldOut of them,
// shuffled by seed and split into folds) from prototypes built without the
// tags of their fold, as the builder derives those of an untagged item,
// and compares them with the item's tags (tagKeys, vocabulary or not).
// assigned holds the items' topics from their tags only.
func heldOut(head, full *text.Matrix, keys []string, assigned [][]scored, tagKeys [][]string, nameCols map[string][]int32, cfg topicConfig, folds int, seed uint64) []derivedSample {
	var tagged []int
	for i, ks := range tagKeys {
		if len(ks) > 0 {
			tagged = append(tagged, i)
		}
	}
	rand.New(rand.NewPCG(seed, 0x746f70696373)).Shuffle(len(tagged), func(a, b int) { tagged[a], tagged[b] = tagged[b], tagged[a] })
	tagged = tagged[:min(len(tagged), maxHeldOut)]
	var out []derivedSample
	train := make([][]scored, len(assigned))
	for f := range folds {
		copy(train, assigned)
		var test []int
		for x := f; x < len(tagged); x += folds {
			test = append(test, tagged[x])
			train[tagged[x]] = nil
		}
		d := newDeriver(head, full, keys, train, nameCols, cfg.minItems)
		for _, i := range test {
			for _, c := range d.derive(i, cfg.perItem) {
				out = append(out, derivedSample{score: c.score, correct: slices.Contains(tagKeys[i], c.key)})
			}
		}
	}
	return out
}

// calibration maps a derived topic's score to its estimated precision: a
// step function, non-decreasing in the score.
type calibration struct {
	from []float64 // the lowest score of each step, ascending
	p    []float64 // the step's precision
}

// calibrate fits the precision of derived topics as a non-decreasing
// function of their score: isotonic regression by pooling adjacent
// violators, each step's precision taken at the lower end of its Wilson
// interval. ok is false with fewer than minSamples samples.
func calibrate(samples []derivedSample) (c calibration, ok bool) {
	if len(samples) < minSamples {
		return calibration{}, false
	}
	s := slices.Clone(samples)
	slices.SortFunc(s, func(a, b derivedSample) int { return cmp.Compare(a.score, b.score) })
	type block struct{ from, right, of float64 }
	var bs []block
	for x, d := range s {
		v := 0.0
		if d.correct {
			v = 1
		}
		if x > 0 && d.score == s[x-1].score {
			bs[len(bs)-1].right += v
			bs[len(bs)-1].of++
		} else {
			bs = append(bs, block{from: d.score, right: v, of: 1})
		}
		// Pool while the last block is no more precise than the one
		// before. Pooling equal ones too leaves steps of many samples,
		// whose lower bounds are close to their precision.
		for len(bs) > 1 {
			a, b := bs[len(bs)-2], bs[len(bs)-1]
			if a.right*b.of < b.right*a.of {
				break
			}
			bs = append(bs[:len(bs)-2], block{from: a.from, right: a.right + b.right, of: a.of + b.of})
		}
	}
	for _, b := range bs {
		c.from = append(c.from, b.from)
		c.p = append(c.p, wilsonLower(b.right, b.of))
	}
	// A small step's lower bound may fall below the one before it: lower
	// the earlier steps, which errs on the side of no reason.
	for k := len(c.p) - 2; k >= 0; k-- {
		c.p[k] = min(c.p[k], c.p[k+1])
	}
	return c, true
}

// at is the estimated precision of a derived topic of the given score:
// that of the highest step starting at or below it.
func (c calibration) at(score float64) float64 {
	k, found := slices.BinarySearch(c.from, score)
	if !found {
		k--
	}
	return c.p[max(k, 0)]
}

// weight is the catalogue weight of a derived topic of the given score,
// in hundredths within [0.05, maxDerived].
func (c calibration) weight(score float64) float32 {
	return float32(math.Round(100*min(maxDerived, max(0.05, c.at(score)))) / 100)
}

// wilsonLower is the lower end of the Wilson score interval, at
// confidenceZ, of a proportion of right out of n.
func wilsonLower(right, n float64) float64 {
	p, z2 := right/n, confidenceZ*confidenceZ
	return (p + z2/(2*n) - confidenceZ*math.Sqrt(p*(1-p)/n+z2/(4*n*n))) / (1 + z2/n)
}
