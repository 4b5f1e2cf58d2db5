package eval

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// TestUser is one user's held-out task.
type TestUser struct {
	User    int
	History []Interaction // oldest first; what every method may learn from
	Targets []int         // held-out items, to be found among the candidates
	// Seen are the other items the user interacted with before their
	// targets (Dataset.Seen): like the history's, they are no candidates.
	Seen []int
	Now  int64 // time of the last history event: when the list is made
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
	// these minus what they interacted with before their targets.
	Universe    []bool
	NumUniverse int
	// Eligible is how many users have enough positives to be tested;
	// Users is a sample of them when the protocol bounds their number.
	Eligible int

	seen [][]Interaction // per user, Dataset.Seen oldest first
}

// NewSplit applies the data set's protocol: per-user temporal holdout of
// the latest positives.
func NewSplit(ds *Dataset) *Split {
	byUser := make([][]Interaction, len(ds.Users))
	for _, x := range ds.Positive {
		byUser[x.User] = append(byUser[x.User], x)
	}
	s := &Split{Data: ds, seen: make([][]Interaction, len(ds.Users))}
	for _, x := range ds.Seen {
		s.seen[x.User] = append(s.seen[x.User], x)
	}
	for _, seen := range s.seen {
		slices.SortStableFunc(seen, func(a, b Interaction) int { return cmp.Compare(a.Time, b.Time) })
	}
	p := ds.Protocol
	tested := make([]bool, len(ds.Users))
	for u, pos := range byUser {
		tested[u] = len(pos) >= max(p.MinPositives, 2)
		if tested[u] {
			s.Eligible++
		}
	}
	if p.MaxTestUsers > 0 && s.Eligible > p.MaxTestUsers {
		// A seeded sample, the same on every run.
		rng := rand.New(rand.NewPCG(uint64(len(ds.Users)), 0x9e3779b97f4a7c15))
		keep := 0
		for _, u := range rng.Perm(len(ds.Users)) {
			if tested[u] {
				tested[u] = keep < p.MaxTestUsers
				keep++
			}
		}
	}
	for u, pos := range byUser {
		// Ties in time are broken by item so the split never depends on
		// file order.
		slices.SortFunc(pos, func(a, b Interaction) int {
			return cmp.Or(cmp.Compare(a.Time, b.Time), cmp.Compare(a.Item, b.Item))
		})
		if !tested[u] {
			s.Train = append(s.Train, pos...)
			continue
		}
		n := p.targets(len(pos))
		hist := pos[:len(pos)-n]
		tu := TestUser{User: u, History: hist, Now: hist[len(hist)-1].Time, Seen: s.seenBefore(u, pos[len(pos)-n].Time)}
		for _, x := range pos[len(pos)-n:] {
			tu.Targets = append(tu.Targets, x.Item)
		}
		s.Users = append(s.Users, tu)
		s.Train = append(s.Train, hist...)
	}
	s.finish()
	return s
}

// Validation carves a validation task out of the histories by the test
// protocol itself: each test user with at least two history positives
// gets the latest TargetFraction of them (rounded down, at least one; one
// when the protocol holds out one) as targets, and every method learns
// from what remains. So settings are chosen for the task they are judged
// on, lists that must find the reader's next several items, not the next
// one alone; a next-item task favours what follows the last item and
// underweighs what the reader goes on to like later. Settings tuned on it
// never see a test target.
func (s *Split) Validation() *Split {
	v := &Split{Data: s.Data, seen: s.seen, Eligible: s.Eligible}
	held := make(map[[2]int]bool)
	for _, u := range s.Users {
		if len(u.History) < 2 {
			continue
		}
		n := min(len(u.History)-1, s.Data.Protocol.targets(len(u.History)))
		hist, out := u.History[:len(u.History)-n], u.History[len(u.History)-n:]
		tu := TestUser{User: u.User, History: hist, Now: hist[len(hist)-1].Time, Seen: s.seenBefore(u.User, out[0].Time)}
		for _, x := range out {
			tu.Targets = append(tu.Targets, x.Item)
			held[[2]int{x.User, x.Item}] = true
		}
		v.Users = append(v.Users, tu)
	}
	for _, x := range s.Train {
		if !held[[2]int{x.User, x.Item}] {
			v.Train = append(v.Train, x)
		}
	}
	v.finish()
	return v
}

// targets is how many of n positives the protocol holds out.
func (p Protocol) targets(n int) int {
	if p.TargetFraction > 0 {
		return max(1, int(math.Floor(p.TargetFraction*float64(n))))
	}
	return 1
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

// seenBefore lists the items of user's other interactions (Dataset.Seen)
// before time t, the time of their first target.
func (s *Split) seenBefore(user int, t int64) []int {
	var out []int
	for _, x := range s.seen[user] {
		if x.Time < t {
			out = append(out, x.Item)
		}
	}
	return out
}

// candidateMask marks user u's candidates: the universe minus every item
// they interacted with before their targets, whatever the rating.
func (s *Split) candidateMask(u *TestUser) []bool {
	m := slices.Clone(s.Universe)
	for _, x := range u.History {
		m[x.Item] = false
	}
	for _, i := range u.Seen {
		m[i] = false
	}
	return m
}
