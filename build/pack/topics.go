package pack

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/hearth-dev/hearth/build/text"
	"github.com/hearth-dev/hearth/core/catalog"
)

// NormalizeTopic returns a topic name as catalogues store it: lowercase,
// trimmed, inner white space collapsed to one space, and stray punctuation
// ("#go", "Go,") removed from both ends.
func NormalizeTopic(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	s = strings.TrimLeftFunc(s, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
	return strings.TrimRightFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '#' })
}

// topicKey folds spelling variants of a topic together: "Interfaces" and
// "interface", "go fix" and "gofix", "proposal" and "proposals" share the
// key made of their stems.
func topicKey(an text.Analyzer, name string) string {
	if k := strings.Join(an.Tokens(name), ""); k != "" {
		return k
	}
	return name
}

// topicConfig is what topic assignment needs from Options, defaults applied.
type topicConfig struct {
	maxTopics, minItems, perItem int
	previous                     []string
	// sensitive are the policy's sensitive names: a tag matching one is
	// always a topic, under the policy's spelling, and never capped away,
	// or the engine could not see that an item is sensitive.
	sensitive []string
}

// Weights of derived topics. An explicit topic (the publisher's tag) has
// weight 1; a topic derived from text is a guess. In a catalogue with
// enough tagged items its weight is its measured precision (calibrate.go);
// otherwise it weighs at most derivedWeight, less the weaker its evidence,
// and is never told as a reason.
const (
	derivedWeight = 0.8
	// nameWeight scales the tf-idf weight of a topic's own name in an
	// item's text ("Go 1.26 is released" → release), which is added to the
	// item's similarity with the topic: a plain, explainable signal that is
	// strong in a title and fades in a long text that mentions it once.
	nameWeight = 1.5
	// keepRatio keeps a second or third derived topic only when its score
	// is at least this share of the best one.
	keepRatio = 0.6
	// fullWeight weighs the similarity of an item's whole text to a topic
	// against that of its headline.
	fullWeight = 0.5
)

// topicResult is the vocabulary and every item's weighted topics.
type topicResult struct {
	vocab []string
	items [][]catalog.TopicWeight
	// reasonMin is the least weight of an item's topic that may be told
	// as a reason: ReasonPrecision when derived weights are calibrated,
	// else 1 (tags only).
	reasonMin float32
}

// assignTopics builds the topic vocabulary and each item's topics. Tags
// used by at least minItems items but not by most of them (or already in
// the previous vocabulary) form the vocabulary; when no tag qualifies, the most characteristic text
// terms do (see termVocabulary). An item without a vocabulary topic gets
// up to perItem topics derived from its text: its tf-idf similarity to each
// topic's centroid, plus a bonus when its text contains the topic's name.
// Their weights are calibrated on the tagged items, derived again with
// their tags held out (heldOut, calibrate).
//
// head is the tf-idf matrix of the items' headlines (title and summary),
// full that of all their text; they are the same matrix when items have no
// body text. Names and term topics come from headlines, which say what an
// item is about; a long body mentions "test" or "version" in passing, so
// it only adds a half-weighted similarity.
func assignTopics(tags [][]string, head, full *text.Matrix, an text.Analyzer, names func([]string) map[string]string, cfg topicConfig) topicResult {
	m := head
	n := len(tags)
	type keyInfo struct {
		count int
		forms map[string]int
	}
	keys := map[string]*keyInfo{}
	itemKeys := make([][]string, n)
	for i, ts := range tags {
		seen := map[string]bool{}
		for _, t := range ts {
			name := NormalizeTopic(t)
			if name == "" {
				continue
			}
			k := topicKey(an, name)
			ki := keys[k]
			if ki == nil {
				ki = &keyInfo{forms: map[string]int{}}
				keys[k] = ki
			}
			ki.forms[name]++
			if !seen[k] {
				seen[k] = true
				ki.count++
				itemKeys[i] = append(itemKeys[i], k)
			}
		}
	}
	prevRank := map[string]int{}
	prevName := map[string]string{}
	for r, name := range cfg.previous {
		k := topicKey(an, NormalizeTopic(name))
		if _, dup := prevRank[k]; !dup {
			prevRank[k] = r
			prevName[k] = name
		}
	}
	sens := map[string]string{}
	for _, name := range cfg.sensitive {
		if name = NormalizeTopic(name); name != "" {
			sens[topicKey(an, name)] = name
		}
	}
	forced := func(k string) bool {
		_, prev := prevRank[k]
		_, sensitive := sens[k]
		return prev || sensitive
	}
	var chosen []string
	for k, ki := range keys {
		prev := forced(k)
		// A tag on most items of a sizeable catalogue (a podcast's show
		// name) cannot tell one reader's interests from another's.
		ubiquitous := n >= 20 && 2*ki.count > n
		if prev || ki.count >= cfg.minItems && !ubiquitous {
			chosen = append(chosen, k)
		}
	}
	sort.Slice(chosen, func(a, b int) bool {
		if ka, kb := keys[chosen[a]].count, keys[chosen[b]].count; ka != kb {
			return ka > kb
		}
		return chosen[a] < chosen[b]
	})
	chosen = capKeep(chosen, cfg.maxTopics, forced)

	name := map[string]string{}
	for _, k := range chosen {
		if sn, ok := sens[k]; ok {
			name[k] = sn
			continue
		}
		if p, ok := prevName[k]; ok {
			name[k] = p
			continue
		}
		name[k] = bestForm(keys[k].forms)
	}

	// assigned[i] lists vocabulary keys with scores; explicit ones first.
	assigned := make([][]scored, n)
	inVocab := map[string]bool{}
	for _, k := range chosen {
		inVocab[k] = true
	}
	for i, ks := range itemKeys {
		for _, k := range ks {
			if inVocab[k] {
				assigned[i] = append(assigned[i], scored{key: k, explicit: true})
			}
		}
	}
	termTopics := len(chosen) == 0
	if termTopics {
		chosen, name = termVocabulary(m, cfg, names)
		for _, k := range chosen {
			inVocab[k] = true
		}
		col := map[string]int32{}
		for j, t := range m.Terms {
			col[t] = int32(j)
		}
		want := map[int32]string{}
		for _, k := range chosen {
			want[col[k]] = k
		}
		for i, r := range m.Rows {
			for p, j := range r.Cols {
				if k, ok := want[j]; ok {
					assigned[i] = append(assigned[i], scored{key: k, score: float64(r.Vals[p])})
				}
			}
		}
	}

	nameCols := topicColumns(m, an, chosen, name)
	d := newDeriver(m, full, chosen, assigned, nameCols, cfg.minItems)
	for i := range assigned {
		if len(assigned[i]) == 0 {
			continue
		}
		for p := range assigned[i] {
			a := &assigned[i][p]
			a.score = 1 + d.similarity(i, a.key) + a.score
			if _, ok := sens[a.key]; ok && a.explicit {
				a.score += 100
			}
		}
		sortScored(assigned[i])
		if len(assigned[i]) > cfg.perItem {
			assigned[i] = assigned[i][:cfg.perItem]
		}
	}
	var samples []derivedSample
	if !termTopics {
		samples = heldOut(m, full, chosen, assigned, itemKeys, nameCols, cfg, heldOutFolds, topicSeed)
	}
	for i := range assigned {
		if len(assigned[i]) == 0 {
			assigned[i] = d.derive(i, cfg.perItem)
		}
	}

	vocab := orderVocab(chosen, prevRank, assigned)
	index := map[string]uint16{}
	for x, k := range vocab {
		index[k] = uint16(x)
	}
	cal, calibrated := calibrate(samples)
	res := topicResult{vocab: make([]string, len(vocab)), items: make([][]catalog.TopicWeight, n), reasonMin: 1}
	if calibrated {
		res.reasonMin = ReasonPrecision
	}
	for x, k := range vocab {
		res.vocab[x] = name[k]
	}
	for i, as := range assigned {
		for _, a := range as {
			w := float32(1)
			switch {
			case a.explicit:
			case calibrated:
				w = cal.weight(a.score)
			default:
				w = float32(math.Max(0.05, math.Round(100*derivedWeight*a.score/as[0].score)/100))
			}
			res.items[i] = append(res.items[i], catalog.TopicWeight{Topic: index[a.key], Weight: w})
		}
	}
	return res
}

// deriver maps an item's text to topics: each topic's Rocchio prototype,
// built from the items that carry it, and the words of its name.
type deriver struct {
	head, full     *text.Matrix
	cent, centFull map[string][]float32 // centFull is nil when full is head
	derivable      []string
	nameCols       map[string][]int32
}

// newDeriver builds the prototypes of keys from the items assigned
// carries them on.
func newDeriver(head, full *text.Matrix, keys []string, assigned [][]scored, nameCols map[string][]int32, minItems int) *deriver {
	d := &deriver{head: head, cent: centroids(head, keys, assigned), derivable: broadTopics(keys, assigned, minItems), nameCols: nameCols}
	if full != head {
		d.full, d.centFull = full, centroids(full, keys, assigned)
	}
	return d
}

// similarity is item i's similarity to topic k's prototype: its
// headline's, plus a share of its full text's.
func (d *deriver) similarity(i int, k string) float64 {
	s := float64(dotDense(d.head.Rows[i], d.cent[k]))
	if d.centFull != nil {
		s += fullWeight * float64(dotDense(d.full.Rows[i], d.centFull[k]))
	}
	return s
}

// derive returns up to n topics for item i, best first: the broad topics
// its text is most similar to, with a bonus for a topic's name in its
// headline, that score at least keepRatio of the best.
func (d *deriver) derive(i, n int) []scored {
	r := d.head.Rows[i]
	var cands []scored
	for _, k := range d.derivable {
		s := d.similarity(i, k)
		if cols := d.nameCols[k]; len(cols) > 0 {
			s += nameWeight * rowWeight(r, cols)
		}
		if s > 0 {
			cands = append(cands, scored{key: k, score: s})
		}
	}
	sortScored(cands)
	for p, c := range cands {
		if p >= n || c.score < keepRatio*cands[0].score {
			return cands[:p]
		}
	}
	return cands
}

// broadTopics returns the topics text may be mapped to: those carried by at
// least max(minItems, 3, n/50) items. A tag on two posts of a blog is a
// fine label for those two, but a poor guess for a third: its prototype
// rests on too little text.
func broadTopics(keys []string, assigned [][]scored, minItems int) []string {
	count := map[string]int{}
	for _, as := range assigned {
		for _, a := range as {
			count[a.key]++
		}
	}
	need := max(minItems, 3, len(assigned)/50)
	var out []string
	for _, k := range keys {
		if count[k] >= need {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return keys
	}
	return out
}

type scored struct {
	key      string
	score    float64
	explicit bool
}

func sortScored(s []scored) {
	sort.SliceStable(s, func(a, b int) bool {
		if s[a].score != s[b].score {
			return s[a].score > s[b].score
		}
		return s[a].key < s[b].key
	})
}

// capKeep keeps the first max keys of a ranked list, plus every key keep
// says must stay (previous vocabulary), so a rebuild never drops a topic
// readers may follow while items still carry it.
func capKeep(ranked []string, max int, keep func(string) bool) []string {
	if len(ranked) <= max {
		return ranked
	}
	out := ranked[:0:0]
	for x, k := range ranked {
		if x < max || keep(k) {
			out = append(out, k)
		}
	}
	return out
}

// bestForm picks the spelling most items use; ties go to the shorter, then
// the lexically smaller one.
func bestForm(forms map[string]int) string {
	best, bc := "", 0
	for f, c := range forms {
		if c > bc || c == bc && (len(f) < len(best) || len(f) == len(best) && f < best) {
			best, bc = f, c
		}
	}
	return best
}

// termVocabulary picks topics from text when no item has a usable tag:
// stems found in at least minItems (and two) items but at most a fifth of
// them (half of a small catalogue, up to ten), ranked by the sum of their tf-idf weights over the catalogue. That
// favours terms that recur and carry weight where they occur (title words
// count twice) over words that merely recur. Each is named by its most
// common surface word.
func termVocabulary(m *text.Matrix, cfg topicConfig, names func([]string) map[string]string) ([]string, map[string]string) {
	n := len(m.Rows)
	lo := max(cfg.minItems, 2)
	hi := max(lo, n/5, min(n/2, 10))
	sum := make([]float64, len(m.Terms))
	for _, r := range m.Rows {
		for p, j := range r.Cols {
			sum[j] += float64(r.Vals[p])
		}
	}
	type cand struct {
		term  string
		score float64
	}
	var cs []cand
	for j, t := range m.Terms {
		df := m.DF[j]
		if df < lo || df > hi || len([]rune(t)) < 3 {
			continue
		}
		cs = append(cs, cand{t, sum[j]})
	}
	sort.Slice(cs, func(a, b int) bool {
		if cs[a].score != cs[b].score {
			return cs[a].score > cs[b].score
		}
		return cs[a].term < cs[b].term
	})
	if len(cs) > cfg.maxTopics {
		cs = cs[:cfg.maxTopics]
	}
	stems := make([]string, len(cs))
	for x, c := range cs {
		stems[x] = c.term
	}
	words := names(stems)
	name := map[string]string{}
	used := map[string]bool{}
	out := stems[:0]
	for _, s := range stems {
		w := NormalizeTopic(words[s])
		if w == "" {
			w = s
		}
		if used[w] {
			continue
		}
		used[w] = true
		name[s] = w
		out = append(out, s)
	}
	return out, name
}

// centroids returns, per topic, a Rocchio prototype: the mean tf-idf row of
// the items that carry the topic minus the mean row of all items with a
// topic, clipped at zero and normalised. Subtracting the common mean drops
// the words every post uses ("new", "introduce") that would otherwise make
// every topic look similar to every item.
func centroids(m *text.Matrix, keys []string, assigned [][]scored) map[string][]float32 {
	cent := make(map[string][]float32, len(keys))
	size := map[string]int{}
	for _, k := range keys {
		cent[k] = make([]float32, len(m.Terms))
	}
	all := make([]float32, len(m.Terms))
	tagged := 0
	for i, as := range assigned {
		if len(as) == 0 {
			continue
		}
		tagged++
		r := m.Rows[i]
		for p, j := range r.Cols {
			all[j] += r.Vals[p]
		}
		for _, a := range as {
			size[a.key]++
			c := cent[a.key]
			for p, j := range r.Cols {
				c[j] += r.Vals[p]
			}
		}
	}
	for k, c := range cent {
		if size[k] == 0 {
			continue
		}
		for j := range c {
			c[j] = max(0, c[j]/float32(size[k])-all[j]/float32(tagged))
		}
		text.Normalize(c)
	}
	return cent
}

func dotDense(r text.Row, c []float32) float32 {
	var s float32
	for p, j := range r.Cols {
		s += r.Vals[p] * c[j]
	}
	return s
}

// topicColumns maps each topic to the matrix columns of its name's stems;
// a topic whose name has a stem that is not a column (too common or absent)
// gets none and no name bonus.
func topicColumns(m *text.Matrix, an text.Analyzer, keys []string, name map[string]string) map[string][]int32 {
	out := map[string][]int32{}
	for _, k := range keys {
		var cols []int32
		ok := true
		for _, st := range an.Tokens(name[k]) {
			j := sort.SearchStrings(m.Terms, st)
			if j == len(m.Terms) || m.Terms[j] != st {
				ok = false
				break
			}
			cols = append(cols, int32(j))
		}
		if ok {
			out[k] = cols
		}
	}
	return out
}

// rowWeight is the geometric mean of the row's weights at cols: zero unless
// every stem of a topic's name occurs in the item.
func rowWeight(r text.Row, cols []int32) float64 {
	prod := 1.0
	for _, c := range cols {
		p := sort.Search(len(r.Cols), func(x int) bool { return r.Cols[x] >= c })
		if p == len(r.Cols) || r.Cols[p] != c {
			return 0
		}
		prod *= float64(r.Vals[p])
	}
	return math.Pow(prod, 1/float64(len(cols)))
}

// orderVocab orders the vocabulary: topics of the previous catalogue first,
// in their old order, then new ones by how many items carry them. Topics no
// item carries are dropped.
func orderVocab(keys []string, prevRank map[string]int, assigned [][]scored) []string {
	count := map[string]int{}
	for _, as := range assigned {
		for _, a := range as {
			count[a.key]++
		}
	}
	var out []string
	for _, k := range keys {
		if count[k] > 0 {
			out = append(out, k)
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		ra, pa := prevRank[out[a]]
		rb, pb := prevRank[out[b]]
		switch {
		case pa && pb:
			return ra < rb
		case pa != pb:
			return pa
		case count[out[a]] != count[out[b]]:
			return count[out[a]] > count[out[b]]
		}
		return out[a] < out[b]
	})
	return out
}
