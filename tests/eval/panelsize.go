package eval

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hearth-dev/hearth/build/collab"
	"github.com/hearth-dev/hearth/core/metric"
)

// panelShares are the panel sizes, as shares of each half's users, the
// report measures beside the panel row's whole half: a publisher's
// consenting panel is usually a small part of its readers.
var panelShares = []float64{1.0 / 8, 1.0 / 4, 1.0 / 2}

// PanelSize is Hearth with panel vectors learned from part of each half's
// users, under the panel row's settings, every user still a reader.
type PanelSize struct {
	Share   float64 // of each half's users on its panel
	Members int     // panel members of a half (the larger, in the first cross-fitting)
	// Result is nil when the panel teaches nothing: none of its items
	// has the builder's floor of members (collab.Options.MinMembers).
	Result *Result
}

// members is how many users are on the first half of panel (panels'
// second result), the larger.
func members(panel []int) int {
	n := 0
	for _, h := range panel {
		if h == 0 {
			n++
		}
	}
	return n
}

// MeasurePanelSizes evaluates Hearth with panel vectors at each of
// panelShares, with the panel row's policy and cross-fittings.
func (r *Run) MeasurePanelSizes() error {
	pol := r.Settings.Panel.policy(basePolicy)
	for _, share := range panelShares {
		fits, err := r.crossFit(share, r.Settings.panelOptions())
		if errors.Is(err, collab.ErrNoData) {
			// A panel too small for the floor is a finding, not a
			// failure of the run.
			_, panel := panels(r.Split.Data, fitSeed(r.Settings.Seed, 0), share)
			r.PanelSizes = append(r.PanelSizes, PanelSize{Share: share, Members: members(panel)})
			continue
		}
		if err != nil {
			return err
		}
		h, err := r.panelHearthOver(fits, pol)
		if err != nil {
			return err
		}
		n := members(fits[0].panel)
		res := Evaluate(r.Split, h)
		res.Method = fmt.Sprintf("%s, panel of %d", RowPanel, n)
		r.PanelSizes = append(r.PanelSizes, PanelSize{Share: share, Members: n, Result: res})
	}
	return nil
}

// panelSizeFigures gives the panel row beside the same row from smaller
// panels, each against bestShare × the best server-side method and the
// text default, and names the smallest panel that clears each.
func (r *Run) panelSizeFigures(p func(string, ...any)) {
	full, best, def := r.Get(RowPanel), r.BestServer(), r.Get(RowDefault)
	if len(r.PanelSizes) == 0 || full == nil || best == nil || def == nil || r.fits == nil {
		return
	}
	sizes := append(slices.Clip(r.PanelSizes), PanelSize{Share: 1, Members: members(r.fits[0].panel), Result: full})
	users := len(r.Split.Data.Users)
	p("## Panel size\n\n")
	p("The panel row's panel is a whole half of the users. A publisher's consenting panel is usually a smaller part of its\n")
	p("readers, so the row is measured again with each half's panel cut to a seeded part of its users (a smaller panel is\n")
	p("part of a larger one). Readers, candidates, cross-fittings and settings are the panel row's; the settings were chosen\n")
	p("for the whole half on validation, and a smaller panel might do better with its own.\n\n")
	p("| panel | members per half | share of the users | nDCG@10 | × %s | Hearth − %.2f × %s (paired) | Hearth − Hearth default (paired) |\n", best.Method, bestShare, best.Method)
	p("|---|---|---|---|---|---|---|\n")
	var clears, beats []string
	for _, ps := range sizes {
		name := fmt.Sprintf("1/%g of each half", 1/ps.Share)
		if ps.Share == 1 {
			name = "each half (the panel row)"
		}
		if ps.Result == nil {
			p("| %s | %d | %.1f%% | — | — | teaches nothing: no item has %d of its members | — |\n", name, ps.Members,
				100*float64(ps.Members)/float64(users), r.Settings.panelMinMembers())
			continue
		}
		nd := ps.Result.NDCG
		vsBest, vsDef := r.paired(nd, scaled(best.NDCG, bestShare)), r.paired(nd, def.NDCG)
		if vsBest.Lo > 0 {
			clears = append(clears, fmt.Sprint(ps.Members))
		}
		if vsDef.Lo > 0 {
			beats = append(beats, fmt.Sprint(ps.Members))
		}
		p("| %s | %d | %.1f%% | %.4f | %s | %s | %s |\n", name, ps.Members, 100*float64(ps.Members)/float64(users),
			metric.Mean(nd), ratio(metric.Mean(nd), metric.Mean(best.NDCG)), fmtIv(vsBest), fmtIv(vsDef))
	}
	// which names the panels of these sizes.
	which := func(counts []string) string {
		n := len(counts)
		switch n {
		case 0:
			return "none of these panels"
		case 1:
			return "the panel of " + counts[0] + " members per half"
		}
		return "the panels of " + strings.Join(counts[:n-1], ", ") + " and " + counts[n-1] + " members per half"
	}
	p("\n- Above %.2f × %s (interval above 0): %s.\n", bestShare, best.Method, which(clears))
	p("- Above Hearth's default on text vectors alone (interval above 0): %s.\n", which(beats))
	if tr := r.Get(RowTransit); tr != nil {
		// What a panel is worth beside counts every publisher's log holds.
		by := map[string][]string{}
		for _, ps := range sizes {
			if ps.Result == nil {
				continue
			}
			rel := relation(r.paired(tr.NDCG, ps.Result.NDCG))
			by[rel] = append(by[rel], fmt.Sprint(ps.Members))
		}
		var parts []string
		for _, rel := range []string{"above", "indistinguishable from", "below"} {
			if len(by[rel]) > 0 {
				parts = append(parts, rel+" "+which(by[rel]))
			}
		}
		p("- Hearth with transition vectors, from every reader's anonymous counts and no panel, scores %.4f: %s (paired intervals).\n",
			metric.Mean(tr.NDCG), strings.Join(parts, "; "))
	}
	p("\n")
}
