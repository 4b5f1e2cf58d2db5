package collab

import "github.com/hearth-dev/hearth/core/catalog"

// Core's default weights are for text vectors, whose similarity predicts
// little of what a reader picks next, so popularity leads and similarity
// only tilts the list (catalog.DefaultWeights). Learned vectors predict it
// well, and rank by it: these are the weights the quality evaluation chose
// for them on validation targets (docs/quality.md, the panel and
// transition rows; tests/eval's Tuned holds them). A build that learns
// vectors uses them when its policy sets no weights ([Weights]).
var (
	PanelWeights      = catalog.Weights{Similarity: 1, Topic: 0.1, Popularity: 1}
	TransitionWeights = catalog.Weights{Similarity: 1, Topic: 0.1, Freshness: 0.2, Popularity: 0.75}
)

// Weights are the scoring weights for vectors learned from in: the
// panel's when it has a panel (trained with transitions, the panel's rows
// lead), else the transitions'.
func Weights(in Input) catalog.Weights {
	if len(in.Panel) > 0 {
		return PanelWeights
	}
	return TransitionWeights
}
