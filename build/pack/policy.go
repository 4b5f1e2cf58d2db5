package pack

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"

	"github.com/hearth-dev/hearth/core/catalog"
)

// PolicyFile is the JSON form of [catalog.Policy] that publishers write
// (build/policy.example.json). Every field is optional: an absent field
// takes the engine's default. Field names are the documented contract.
type PolicyFile struct {
	FreshnessHalfLifeDays float32        `json:"freshness_half_life_days"`
	InterestHalfLifeDays  float32        `json:"interest_half_life_days"`
	Diversity             float32        `json:"diversity"`
	Exploration           float32        `json:"exploration"`
	Weights               PolicyWeights  `json:"weights"`
	SectionCaps           map[string]int `json:"section_caps"`
	Pinned                []string       `json:"pinned"`
	Excluded              []string       `json:"excluded"`
	Sensitive             []string       `json:"sensitive"`
	RetentionDays         int            `json:"retention_days"`
	MaxEvents             int            `json:"max_events"`
	Consent               string         `json:"consent"`
	// Hosts, when set, are the only hosts item links may name (site-
	// relative links are always allowed): the build refuses an item on
	// another host, and so does the engine (catalog.Policy.Hosts).
	Hosts []string `json:"hosts"`
}

// PolicyWeights are the scoring weights of a [PolicyFile]: one for each
// field of catalog.Weights, under the same Go name, by which Policy,
// PolicyFileOf and CheckPolicy convert (TestPolicyWeights_Fields holds
// the two together), so a new score term's weight is one field here.
type PolicyWeights struct {
	Similarity float32 `json:"similarity"`
	Topic      float32 `json:"topic"`
	Freshness  float32 `json:"freshness"`
	Popularity float32 `json:"popularity"`
}

// ReadPolicy decodes and checks a policy file. Unknown fields, wrong types
// and out-of-range values are refused with the field's name. Pinned and
// excluded entries are kept as written; [Build] resolves them to item ids.
func ReadPolicy(r io.Reader) (catalog.Policy, error) {
	b, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return catalog.Policy{}, fmt.Errorf("read policy: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var f PolicyFile
	if err := dec.Decode(&f); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return catalog.Policy{}, fmt.Errorf("%w: %s: must be %s, not %s", catalog.ErrPolicy, te.Field, jsonKind(te.Type.Kind().String()), te.Value)
		}
		// encoding/json names the unknown field in its message.
		return catalog.Policy{}, fmt.Errorf("%w: %v", catalog.ErrPolicy, err)
	}
	if dec.More() {
		return catalog.Policy{}, fmt.Errorf("%w: more than one JSON value", catalog.ErrPolicy)
	}
	p := f.Policy()
	if err := CheckPolicy(p); err != nil {
		return catalog.Policy{}, err
	}
	return p, nil
}

func jsonKind(k string) string {
	switch {
	case strings.HasPrefix(k, "float"), strings.HasPrefix(k, "int"), strings.HasPrefix(k, "uint"):
		return "a number"
	case k == "string":
		return "a string"
	case k == "slice":
		return "a list"
	case k == "map", k == "struct":
		return "an object"
	}
	return k
}

// ReadPolicyFile is [ReadPolicy] on a file; its errors name the file.
func ReadPolicyFile(path string) (catalog.Policy, error) {
	f, err := os.Open(path)
	if err != nil {
		return catalog.Policy{}, err
	}
	defer f.Close()
	p, err := ReadPolicy(f)
	if err != nil {
		return p, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// Policy converts the file form to the catalogue's policy. Section caps are
// sorted by section so the output does not depend on map order.
func (f PolicyFile) Policy() catalog.Policy {
	p := catalog.Policy{
		FreshnessHalfLifeDays: f.FreshnessHalfLifeDays,
		InterestHalfLifeDays:  f.InterestHalfLifeDays,
		Diversity:             f.Diversity,
		Exploration:           f.Exploration,
		Weights:               f.Weights.catalogWeights(),
		Pinned:                f.Pinned,
		Excluded:              f.Excluded,
		RetentionDays:         f.RetentionDays,
		MaxEvents:             f.MaxEvents,
		Consent:               f.Consent,
		Hosts:                 f.Hosts,
	}
	for _, s := range f.Sensitive {
		p.Sensitive = append(p.Sensitive, NormalizeTopic(s))
	}
	for s, n := range f.SectionCaps {
		p.SectionCaps = append(p.SectionCaps, catalog.SectionCap{Section: s, Max: n})
	}
	sort.Slice(p.SectionCaps, func(a, b int) bool { return p.SectionCaps[a].Section < p.SectionCaps[b].Section })
	return p
}

// catalogWeights is w as the catalogue's weights.
func (w PolicyWeights) catalogWeights() catalog.Weights {
	var out catalog.Weights
	copyByName(reflect.ValueOf(&out).Elem(), reflect.ValueOf(w))
	return out
}

// fileWeights is w as a policy file's weights.
func fileWeights(w catalog.Weights) PolicyWeights {
	var out PolicyWeights
	copyByName(reflect.ValueOf(&out).Elem(), reflect.ValueOf(w))
	return out
}

// copyByName sets each field of dst to src's field of the same name.
func copyByName(dst, src reflect.Value) {
	for i := range src.NumField() {
		dst.FieldByName(src.Type().Field(i).Name).Set(src.Field(i))
	}
}

// CheckPolicy refuses values the engine cannot use, naming the policy file
// field, then runs the engine's own [catalog.Policy.Validate]. Zero values
// are valid: they mean "the default".
func CheckPolicy(p catalog.Policy) error {
	bad := func(field, why string) error { return fmt.Errorf("%w: %s: %s", catalog.ErrPolicy, field, why) }
	type bounded struct {
		name   string
		v, max float32
	}
	fields := []bounded{
		{"freshness_half_life_days", p.FreshnessHalfLifeDays, catalog.MaxHalfLifeDays},
		{"interest_half_life_days", p.InterestHalfLifeDays, catalog.MaxHalfLifeDays},
		{"diversity", p.Diversity, 1},
		{"exploration", p.Exploration, 1},
	}
	w := reflect.ValueOf(fileWeights(p.Weights))
	for i := range w.NumField() {
		name := "weights." + strings.Split(w.Type().Field(i).Tag.Get("json"), ",")[0]
		fields = append(fields, bounded{name, float32(w.Field(i).Float()), catalog.MaxWeight})
	}
	for _, f := range fields {
		if !(f.v >= 0 && f.v <= f.max) {
			return bad(f.name, fmt.Sprintf("must be in [0, %v], not %v", f.max, f.v))
		}
	}
	seen := map[string]bool{}
	for _, c := range p.SectionCaps {
		switch {
		case strings.TrimSpace(c.Section) == "":
			return bad("section_caps", "a section name is empty")
		case c.Max < 1:
			return bad("section_caps."+c.Section, fmt.Sprintf("must be ≥ 1, not %d", c.Max))
		case seen[c.Section]:
			return bad("section_caps."+c.Section, "listed twice")
		}
		seen[c.Section] = true
	}
	for _, l := range []struct {
		name string
		v    []string
	}{{"pinned", p.Pinned}, {"excluded", p.Excluded}, {"sensitive", p.Sensitive}, {"hosts", p.Hosts}} {
		for i, s := range l.v {
			if strings.TrimSpace(s) == "" {
				return bad(fmt.Sprintf("%s[%d]", l.name, i), "is empty")
			}
		}
	}
	if p.RetentionDays < 0 || p.RetentionDays > catalog.MaxRetentionDays {
		return bad("retention_days", fmt.Sprintf("must be in [0, %d], not %d", catalog.MaxRetentionDays, p.RetentionDays))
	}
	if p.MaxEvents < 0 || p.MaxEvents > catalog.MaxEvents {
		return bad("max_events", fmt.Sprintf("must be in [0, %d], not %d", catalog.MaxEvents, p.MaxEvents))
	}
	switch p.Consent {
	case "", catalog.ConsentOptIn, catalog.ConsentOptOut:
	default:
		return bad("consent", fmt.Sprintf("must be %q or %q, not %q", catalog.ConsentOptIn, catalog.ConsentOptOut, p.Consent))
	}
	// The engine's own check has the last word (its messages use wire keys).
	return p.Validate()
}
