package rank

import (
	"math"
	"reflect"
	"testing"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/stretchr/testify/require"
)

// TestTerms_Weight checks that each term's key is the wire key of the
// catalog.Weights field its weight reads, so that the key the JavaScript
// reference and the builder see names the weight the engine uses.
func TestTerms_Weight(t *testing.T) {
	wt := reflect.TypeFor[catalog.Weights]()
	require.Equal(t, wt.NumField(), numTerms, "one term per weight")
	seen := map[string]bool{}
	for _, st := range ScoreTerms() {
		require.False(t, seen[st.Key], "key %q twice", st.Key)
		seen[st.Key] = true
		found := false
		for f := range wt.NumField() {
			var w catalog.Weights
			reflect.ValueOf(&w).Elem().Field(f).SetFloat(1)
			if st.Weight(w) == 1 {
				require.False(t, found, "term %q reads two weights", st.Key)
				found = true
				require.Equal(t, wt.Field(f).Tag.Get("msg"), st.Key, "term reading %s", wt.Field(f).Name)
			}
		}
		require.True(t, found, "term %q reads no weight", st.Key)
	}
}

// TestTerms_Bound checks every term's value against its bound, which the
// early-stopping pool relies on, on catalogues and readers of several
// shapes, and that the order term's value is its column.
func TestTerms_Bound(t *testing.T) {
	for _, n := range []int{50, 400} {
		for seed := range uint64(3) {
			c := synthetic(n, 16, seed+uint64(n))
			e := New(c)
			s := e.newState(syntheticReader(c, seed), Request{Now: now.Unix()})
			require.True(t, s.user != nil && s.anyTopic)
			for k := range terms {
				tm := &terms[k]
				for i := range e.n {
					v := s.value(k, i)
					require.LessOrEqual(t, abs(v), tm.bound*(1+1e-4), "term %q, item %d", tm.key, i)
					if k == orderTerm {
						require.Equal(t, e.orderColumn()[i], v)
					}
				}
			}
		}
	}
}

// TestState_Score_Terms checks that a score is the sum of its terms'
// weighted values in table order, under the reader's blend, and the prior
// the sum of the priors'.
func TestState_Score_Terms(t *testing.T) {
	c := synthetic(200, 16, 4)
	c.Policy.Weights = catalog.Weights{Similarity: 0.7, Topic: 0.3, Freshness: 0.2, Popularity: 0.5}
	e := New(c)
	s := e.newState(syntheticReader(c, 1), Request{Now: now.Unix()})
	for i := range e.n {
		var sc, prior float32
		for k := range terms {
			sc += s.weighted(k, e.w[k]*s.scale[k], i)
			if !terms[k].personal {
				prior += s.weighted(k, e.priorW[k], i)
			}
		}
		require.Equal(t, sc, s.score(i), "item %d", i)
		require.Equal(t, prior, s.prior(i), "item %d", i)
	}
}

// TestTerms_Reason checks that each term's reasons carry its code, which
// ScoreTerms tells the JavaScript reference, that every term with a code
// gives its reason somewhere in the fixture, and that a text is fixed only
// for a term with a code.
func TestTerms_Reason(t *testing.T) {
	c := fixture(t)
	s := New(c).newState(reader(t, c), Request{Now: now.Unix()})
	require.True(t, s.user != nil && s.anyTopic)
	given, want := map[string]int{}, 0
	for k := range terms {
		tm := &terms[k]
		if tm.code == "" {
			require.Empty(t, tm.text, "term %q: a text without a code", tm.key)
			continue
		}
		want++
		for i := range c.Items {
			if r, ok := s.reason(k, i, s.value(k, i), float32(math.Inf(-1))); ok {
				require.Equal(t, tm.code, r.Code, "term %q, item %s", tm.key, c.Items[i].ID)
				require.NotEmpty(t, r.Text)
				given[tm.key]++
			}
		}
	}
	require.Len(t, given, want, "every term with a reason gave it: %v", given)
}

// TestEngine_Recommend_RelatedPriorScale checks that related mode scales
// the prior by the prior's own weights: with a policy that gives the
// priors no weight (they then count equally), the prior was divided by
// 1e-6 and drowned the similarity to the current page.
func TestEngine_Recommend_RelatedPriorScale(t *testing.T) {
	c := fixture(t)
	c.Policy.Weights = catalog.Weights{Similarity: 1, Topic: 0.6}
	recs := New(c).Recommend(nil, Request{Count: 4, Now: now.Unix(), Current: "privacy-gpc", Related: true})
	require.NotEmpty(t, recs)
	for _, r := range recs {
		require.LessOrEqual(t, r.Score, float32(1+relatedPrior+1e-5), r.ID)
	}
	require.Equal(t, "privacy", c.Topics[c.Items[idx(t, c, recs[0].ID)].Topics[0].Topic], "the page's subject leads: %v", ids(recs))
}

// TestState_On checks that on agrees with the table: a reader without a
// profile gives no personal term anything to score and every prior is on;
// a reader with a vector and interests turns every term on.
func TestState_On(t *testing.T) {
	c := fixture(t)
	e := New(c)
	none := e.newState(nil, Request{Now: now.Unix()})
	full := e.newState(reader(t, c), Request{Now: now.Unix()})
	require.True(t, full.user != nil && full.anyTopic)
	for k := range terms {
		require.Equal(t, !terms[k].personal, none.on(k), "term %q without a reader", terms[k].key)
		require.True(t, full.on(k), "term %q with a reader", terms[k].key)
	}
}
