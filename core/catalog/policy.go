package catalog

import (
	"github.com/hearth-dev/hearth/core/internal/errfmt"
	"github.com/hearth-dev/hearth/core/internal/str"
)

// Policy defaults, applied by [Policy.WithDefaults] to unset (zero) fields.
const (
	DefaultFreshnessHalfLifeDays = 14
	DefaultInterestHalfLifeDays  = 30
	DefaultDiversity             = 0.4
	DefaultExploration           = 0.1
	DefaultRetentionDays         = 90
	DefaultMaxEvents             = 500
	DefaultConsent               = ConsentOptIn
	DefaultTopicReasonMin        = 1
)

// Hard bounds of policy fields, checked by [Policy.Validate].
const (
	MaxHalfLifeDays  = 3650
	MaxRetentionDays = 3650
	MaxEvents        = 10_000
	MaxWeight        = 10
)

// defaultWeights and DefaultDiversity were tuned on validation targets carved
// from readers' histories in the quality evaluation (docs/quality.md, `make
// eval`): text similarity alone predicts little of what a reader picks next,
// so the aggregate popularity prior leads, freshness (on the catalogue's own
// time scale: the builder derives the half-life from the items' dates) keeps
// the list to what is current, and similarity and topic interest tilt it
// toward the reader. A publisher without page-view counts sets its own
// weights in the policy (the demo does).
var defaultWeights = Weights{Similarity: 0.1, Topic: 0.1, Freshness: 0.2, Popularity: 1}

// DefaultWeights returns the scoring weights used when a policy sets none.
func DefaultWeights() Weights { return defaultWeights }

// WithDefaults returns p with every unset field filled in. Weights are
// replaced only when all four are zero, so a publisher can switch one term
// off. Zero means unset, so the smallest Diversity or Exploration a
// publisher can choose is a small positive number.
func (p Policy) WithDefaults() Policy {
	if p.FreshnessHalfLifeDays == 0 {
		p.FreshnessHalfLifeDays = DefaultFreshnessHalfLifeDays
	}
	if p.InterestHalfLifeDays == 0 {
		p.InterestHalfLifeDays = DefaultInterestHalfLifeDays
	}
	if p.Diversity == 0 {
		p.Diversity = DefaultDiversity
	}
	if p.Exploration == 0 {
		p.Exploration = DefaultExploration
	}
	if p.Weights == (Weights{}) {
		p.Weights = defaultWeights
	}
	if p.RetentionDays == 0 {
		p.RetentionDays = DefaultRetentionDays
	}
	if p.MaxEvents == 0 {
		p.MaxEvents = DefaultMaxEvents
	}
	if p.Consent == "" {
		p.Consent = DefaultConsent
	}
	if p.TopicReasonMin == 0 {
		p.TopicReasonMin = DefaultTopicReasonMin
	}
	return p
}

// Validate checks every field's range; zero fields are valid (they mean the
// default). Errors wrap ErrPolicy and name the field by its wire key.
func (p Policy) Validate() error {
	inRange := func(field string, v, lo, hi float32) error {
		if !finite(v) || v < lo || v > hi {
			return policyError(field, errfmt.Float(v)+" out of ["+errfmt.Float(lo)+", "+errfmt.Float(hi)+"]")
		}
		return nil
	}
	for _, f := range []struct {
		name   string
		v      float32
		lo, hi float32
	}{
		{"fresh_hl", p.FreshnessHalfLifeDays, 0, MaxHalfLifeDays},
		{"interest_hl", p.InterestHalfLifeDays, 0, MaxHalfLifeDays},
		{"diversity", p.Diversity, 0, 1},
		{"explore", p.Exploration, 0, 1},
		{"weights.sim", p.Weights.Similarity, 0, MaxWeight},
		{"weights.topic", p.Weights.Topic, 0, MaxWeight},
		{"weights.fresh", p.Weights.Freshness, 0, MaxWeight},
		{"weights.pop", p.Weights.Popularity, 0, MaxWeight},
		{"reason_min", p.TopicReasonMin, 0, 1},
	} {
		if err := inRange(f.name, f.v, f.lo, f.hi); err != nil {
			return err
		}
	}
	if p.RetentionDays < 0 || p.RetentionDays > MaxRetentionDays {
		return policyError("retention", errfmt.Itoa(p.RetentionDays)+" days out of [0, "+errfmt.Itoa(MaxRetentionDays)+"]")
	}
	if p.MaxEvents < 0 || p.MaxEvents > MaxEvents {
		return policyError("max_events", errfmt.Itoa(p.MaxEvents)+" out of [0, "+errfmt.Itoa(MaxEvents)+"]")
	}
	switch p.Consent {
	case "", ConsentOptIn, ConsentOptOut:
	default:
		return policyError("consent", errfmt.Quote(clip(p.Consent))+", want "+errfmt.Quote(ConsentOptIn)+" or "+errfmt.Quote(ConsentOptOut))
	}
	for k, sc := range p.SectionCaps {
		if blank(sc.Section) {
			return policyError("caps", "entry "+errfmt.Itoa(k)+": empty section")
		}
		if sc.Max < 1 {
			return policyError("caps", "entry "+errfmt.Itoa(k)+" ("+errfmt.Quote(clip(sc.Section))+"): max "+errfmt.Itoa(sc.Max)+", want >= 1")
		}
	}
	for _, l := range []struct {
		name string
		v    []string
	}{{"pinned", p.Pinned}, {"excluded", p.Excluded}, {"sensitive", p.Sensitive}, {"hosts", p.Hosts}} {
		for k, s := range l.v {
			if blank(s) {
				return policyError(l.name, "entry "+errfmt.Itoa(k)+" is empty")
			}
		}
	}
	for k, h := range p.Hosts {
		// A host name as URLHost reads it from a URL: no scheme, path,
		// user, port or escapes (an IPv6 address keeps its brackets).
		if hasAny(h, &hostRefusedBits) || str.IndexByte(h, ':') >= 0 && h[0] != '[' {
			return policyError("hosts", "entry "+errfmt.Itoa(k)+" "+errfmt.Quote(clip(h))+": want a host name such as example.com")
		}
	}
	return nil
}

// policyError is Validate's error for field. It and the other validators'
// error helpers are functions, not inlined closures: inlined, every call
// carried its own concatenation (docs/size.md).
//
//go:noinline
func policyError(field, msg string) error {
	return errfmt.Wrap("", ErrPolicy, ": "+field+": "+msg)
}
