package collab

import "github.com/hearth-dev/hearth/core/catalog"

// Core's default weights are for text vectors, whose similarity predicts
// little of what a reader picks next, so popularity leads and similarity
// only tilts the list (catalog.DefaultWeights). Learned vectors predict it
// well, and rank by it. A build that learns vectors uses these weights
// when its policy sets none ([Weights]).
//
// They are the weights the quality evaluation tuned for each kind of
// vectors on MovieLens validation targets (docs/quality.md), with one
// change made for other sites: on films, tuning left freshness out of the
// panel's weights, but a news site's readers need it. Every site gets core's
// default freshness weight, 0.2, and each reader's blend drops freshness
// where that reader's history does not follow the dates (core/rank's
// adapt). docs/quality.md measures the panel row with these weights too.
var (
	PanelWeights      = catalog.Weights{Similarity: 1, Topic: 0.1, Freshness: 0.2, Popularity: 1}
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
