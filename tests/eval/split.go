package eval

import (
	"cmp"
	"math"
	"slices"
)

// TestUser is one user's held-out task.
type TestUser struct {
	User    int
	History []Interaction // oldest first; what every method may learn from
	Targets []int         // held-out items, to be found among the candidates
	Now     int64         // time of the last history event: when the list is made
}

// Split is one run's division of a data set into histories and targets.
// Every method is fitted on Train and evaluated on Users with the same
// candidates.
type Split struct {
	Data  *Dataset
	Users []TestUser
	// Train is every history event of every user (test users' histories and
	// all positives of users with too few to be tested), oldest first.
	Train []Interaction
	// Universe marks the candidate items; a test user's candidates are
	// these minus their own history.
	Universe    []bool
	NumUniverse int
}

// NewSplit applies the data set's protocol: per-user temporal holdout of
// the latest positives.
func NewSplit(ds *Dataset) *Split {
	byUser := make([][]Interaction, len(ds.Users))
	for _, x := range ds.Positive {
		byUser[x.User] = append(byUser[x.User], x)
	}
	s := &Split{Data: ds}
	p := ds.Protocol
	for u, pos := range byUser {
		// Ties in time are broken by item so the split never depends on
		// file order.
		slices.SortFunc(pos, func(a, b Interaction) int {
			return cmp.Or(cmp.Compare(a.Time, b.Time), cmp.Compare(a.Item, b.Item))
		})
		if len(pos) < max(p.MinPositives, 2) {
			s.Train = append(s.Train, pos...)
			continue
		}
		n := 1
		if p.TargetFraction > 0 {
			n = max(1, int(math.Floor(p.TargetFraction*float64(len(pos)))))
		}
		hist := pos[:len(pos)-n]
		tu := TestUser{User: u, History: hist, Now: hist[len(hist)-1].Time}
		for _, x := range pos[len(pos)-n:] {
			tu.Targets = append(tu.Targets, x.Item)
		}
		s.Users = append(s.Users, tu)
		s.Train = append(s.Train, hist...)
	}
	s.finish()
	return s
}

// Validation carves a validation task out of the histories: each test user
// with at least two history positives gets their last history positive as
// the single target, and every method learns from what remains. Settings
// tuned on it never see a test target.
func (s *Split) Validation() *Split {
	v := &Split{Data: s.Data}
	held := make(map[[2]int]bool)
	for _, u := range s.Users {
		if len(u.History) < 2 {
			continue
		}
		last := u.History[len(u.History)-1]
		hist := u.History[:len(u.History)-1]
		v.Users = append(v.Users, TestUser{User: u.User, History: hist, Targets: []int{last.Item}, Now: hist[len(hist)-1].Time})
		held[[2]int{last.User, last.Item}] = true
	}
	for _, x := range s.Train {
		if !held[[2]int{x.User, x.Item}] {
			v.Train = append(v.Train, x)
		}
	}
	v.finish()
	return v
}

func (s *Split) finish() {
	slices.SortStableFunc(s.Train, func(a, b Interaction) int { return cmp.Compare(a.Time, b.Time) })
	s.Universe = make([]bool, len(s.Data.Items))
	switch s.Data.Protocol.Universe {
	case UniverseText:
		for i, it := range s.Data.Items {
			s.Universe[i] = it.Title != "" || it.Text != ""
		}
	default:
		for _, x := range s.Train {
			s.Universe[x.Item] = true
		}
	}
	s.NumUniverse = 0
	for _, in := range s.Universe {
		if in {
			s.NumUniverse++
		}
	}
}

// Held reports the items whose interaction by user is held out in this
// split (the user's targets), so that text derived from interactions, such
// as tags, can leave them out.
func (s *Split) Held() map[[2]int]bool {
	held := make(map[[2]int]bool)
	for _, u := range s.Users {
		for _, it := range u.Targets {
			held[[2]int{u.User, it}] = true
		}
	}
	return held
}

// candidateMask marks user u's candidates: the universe minus their history.
func (s *Split) candidateMask(u *TestUser) []bool {
	m := slices.Clone(s.Universe)
	for _, x := range u.History {
		m[x.Item] = false
	}
	return m
}
