package eval

import "github.com/hearth-dev/hearth/core/metric"

// ColdSet is the test targets a kind of collaborative vectors had no data
// for: items the builder could only map from their text. Only targets
// among the reader's candidates count (an item outside them no method can
// recommend).
type ColdSet struct {
	Name    string // what the items lack, in short
	What    string // the same in full
	Row     string // the Hearth row whose vectors lack it
	Users   []int  // indexes into Split.Users of the readers with such a target
	Targets int
	targets [][]int // per reader of Users, those targets
}

// ColdSets are the targets whose item had no transition count in the
// training histories, and those no user of the panel half whose vectors
// rank the reader had (in the first cross-fitting); a set is left out when
// its row was not run.
func (r *Run) ColdSets() []ColdSet {
	var out []ColdSet
	if r.counted != nil {
		c := r.coldSet("no transition counts", RowTransit, func(_, item int) bool { return !r.counted[item] })
		c.What = "no transition count links the item to another"
		out = append(out, c)
	}
	if r.fits != nil {
		// The panel row's lists are its first cross-fitting's (CrossFitted).
		fit := r.fits[0]
		c := r.coldSet("no panel data", RowPanel, func(user, item int) bool { return !fit.has[fit.other(user)][item] })
		c.What = "no user of the half whose panel vectors rank the reader (in the first cross-fitting) has the item in their history"
		out = append(out, c)
	}
	return out
}

func (r *Run) coldSet(name, row string, cold func(user, item int) bool) ColdSet {
	c := ColdSet{Name: name, Row: row}
	for k := range r.Split.Users {
		u := &r.Split.Users[k]
		cand := r.Split.candidateMask(u)
		var ts []int
		for _, t := range u.Targets {
			if cand[t] && cold(u.User, t) {
				ts = append(ts, t)
			}
		}
		if len(ts) > 0 {
			c.Users = append(c.Users, k)
			c.targets = append(c.targets, ts)
			c.Targets += len(ts)
		}
	}
	return c
}

// Cold scores a result on a cold set: for each of its readers, the hit
// rate and nDCG@10 of the list the method made, with only the set's
// targets relevant.
func (c ColdSet) Cold(res *Result) (hr, ndcg []float64) {
	hr, ndcg = make([]float64, len(c.Users)), make([]float64, len(c.Users))
	for j, k := range c.Users {
		rel := make(map[int]bool, len(c.targets[j]))
		for _, t := range c.targets[j] {
			rel[t] = true
		}
		hr[j] = metric.HitRate(res.Lists[k], rel, K)
		ndcg[j] = metric.NDCG(res.Lists[k], rel, K)
	}
	return hr, ndcg
}
