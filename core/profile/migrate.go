package profile

import (
	"cmp"

	"github.com/hearth-dev/hearth/core/internal/sortx"
)

//go:generate go tool msgp -io=false -unexported -file migrate.go -o migrate_gen.go
//go:generate go run ../internal/gentag -tag !hearthlean migrate_gen.go migrate_gen_test.go
//go:generate go run ../internal/leangen -unexported -o migrate_lean_gen.go migrate.go

// profileV1 is the first stored layout: consent was a yes/no flag,
// interests a map, events had no dwell, and topics could not be muted.
type profileV1 struct {
	Version   int                `msg:"v"`
	Consent   bool               `msg:"consent"`
	Interests map[string]float32 `msg:"interests"`
	Events    []eventV1          `msg:"events"`
	ReadItems []string           `msg:"read"`
	Hidden    []string           `msg:"hidden"`
	Updated   int64              `msg:"updated"`
}

type eventV1 struct {
	Item string `msg:"i"`
	Kind uint8  `msg:"k"`
	Time int64  `msg:"at"`
}

// decodeV1 decodes a version-1 profile, which prescan has walked, and
// migrates it. Errors wrap ErrCorrupt.
func decodeV1(b []byte) (*Profile, error) {
	var old profileV1
	rest, err := unmarshalMsgV1(&old, b)
	if err := scanError(err, rest); err != nil {
		return nil, err
	}
	return migrateV1(&old), nil
}

// migrateV1 maps a version-1 profile onto the current layout. Version 1
// had kinds view to hide with today's numbers. Its events carry no credit,
// so their effect stays in the interests like that of an expired event;
// a v1 read counts as a short read (no dwell was recorded).
func migrateV1(old *profileV1) *Profile {
	p := New()
	if old.Consent {
		p.Settings.Consent = ConsentGranted
	}
	for t, w := range old.Interests {
		p.Interests = append(p.Interests, Interest{Topic: t, Weight: w})
	}
	sortx.Func(p.Interests, func(a, b Interest) int { return cmp.Compare(a.Topic, b.Topic) })
	for _, ev := range old.Events {
		p.Events = append(p.Events, Event{Item: ev.Item, Kind: Kind(ev.Kind), Time: ev.Time})
	}
	p.ReadItems = old.ReadItems
	p.Hidden = old.Hidden
	p.Updated = old.Updated
	return p
}
