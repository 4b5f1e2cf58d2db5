package bridge

//go:generate go run ./internal/genproto -js ../../js/ops.gen.js -dts ../../js/protocol.gen.d.ts

import (
	"errors"

	"github.com/hearth-dev/hearth/core/profile"
)

// argSet is a set of Request arguments: one bit per field after Op and Now
// (which every request carries), in the struct's order; argNames names
// them by their msgpack keys (TestOps_Names holds both to message.go).
type argSet uint16

const (
	argSeed argSet = 1 << iota
	argBytes
	argDoc
	argItem
	argKind
	argDwell
	argTopic
	argIndex
	argCount
	argRelated
	argConsent
	argVariety
)

var argNames = [...]string{"seed", "bytes", "doc", "item", "kind", "dwell", "topic", "index", "count", "related", "consent", "variety"}

// resultSet is a set of Response fields a success may carry: one bit per
// field after Code and Message, in the struct's order.
type resultSet uint8

const (
	resProfile resultSet = 1 << iota
	resLearned
	resRecs
	resView
	resDoc
	resCatalogue
)

// op declares one operation of the protocol: its name, the arguments it
// takes (a request with any other is a bad request), what a success may
// carry, and the codes it may fail with besides bad-request and internal.
// This table is the protocol's one declaration: Dispatch runs it, the tests
// hold every response to it, and js/ops.gen.js and js/protocol.gen.d.ts are
// generated from it.
//
// An operation either runs against the engine (run), or changes the profile
// (change): a change applies to the stored profile passed as bytes, which
// the Worker read under its lock, or else to a copy of the engine's, and the
// result replaces the engine's profile and is encoded once, for the Worker
// to store, only when the change succeeded. So a tracked event costs one
// call and one encoding of the profile.
type op struct {
	name    string
	args    argSet
	results resultSet
	codes   []string
	run     func(b *Bridge, r *Request, now int64) (Response, error)
	change  func(b *Bridge, p *profile.Profile, r *Request, now int64) (Response, error)
}

// errUnchanged is what a change returns when it left nothing to store.
var errUnchanged = errors.New("unchanged")

var ops = [...]op{
	{name: OpLoadCatalogue, args: argBytes | argConsent, results: resCatalogue,
		codes: []string{CodeBadCatalogue, CodeBadArgument}, run: (*Bridge).loadCatalogue},
	{name: OpLoadProfile, args: argBytes, results: resProfile,
		codes: []string{CodeBadProfile, CodeProfileNewer}, run: (*Bridge).loadProfile},
	{name: OpTrack, args: argBytes | argItem | argKind | argDwell | argTopic, results: resProfile | resLearned,
		codes: []string{CodeBadProfile, CodeProfileNewer, CodeNoCatalogue, CodeUnknownItem, CodeBadArgument, CodeOff}, change: (*Bridge).track},
	{name: OpRecommend, args: argCount | argItem | argRelated | argSeed, results: resRecs,
		codes: []string{CodeNoCatalogue, CodeUnknownItem, CodeBadArgument}, run: (*Bridge).recommend},
	{name: OpProfile, results: resView, run: (*Bridge).profileView},
	{name: OpExport, results: resDoc, run: (*Bridge).export},
	{name: OpImport, args: argBytes | argDoc, results: resProfile,
		codes: []string{CodeBadProfile, CodeProfileNewer, CodeBadImport}, change: (*Bridge).importDoc},
	{name: OpClear, run: (*Bridge).clear},
	{name: OpForgetItem, args: argBytes | argItem, results: resProfile,
		codes: []string{CodeBadProfile, CodeProfileNewer, CodeBadArgument}, change: (*Bridge).forgetItem},
	{name: OpForgetEvent, args: argBytes | argIndex, results: resProfile,
		codes: []string{CodeBadProfile, CodeProfileNewer, CodeBadArgument}, change: (*Bridge).forgetEvent},
	{name: OpForgetTopic, args: argBytes | argTopic, results: resProfile,
		codes: []string{CodeBadProfile, CodeProfileNewer, CodeBadArgument}, change: (*Bridge).forgetTopic},
	{name: OpUnmute, args: argBytes | argTopic, results: resProfile,
		codes: []string{CodeBadProfile, CodeProfileNewer, CodeBadArgument}, change: (*Bridge).unmute},
	{name: OpUnhide, args: argBytes | argItem, results: resProfile,
		codes: []string{CodeBadProfile, CodeProfileNewer, CodeBadArgument}, change: (*Bridge).unhide},
	{name: OpVariety, args: argBytes | argVariety, results: resProfile,
		codes: []string{CodeBadProfile, CodeProfileNewer, CodeBadArgument}, change: (*Bridge).variety},
}

// lookup returns the operation named name, or nil.
func lookup(name string) *op {
	for i := range ops {
		if ops[i].name == name {
			return &ops[i]
		}
	}
	return nil
}

// args returns the arguments r carries: its fields besides Op and Now that
// are not zero.
func (r *Request) args() argSet {
	var s argSet
	for i, present := range [...]bool{r.Seed != 0, len(r.Bytes) > 0, len(r.Doc) > 0, r.Item != "", r.Kind != "",
		r.Dwell != 0, r.Topic != "", r.Index != 0, r.Count != 0, r.Related, r.Consent != "", r.Variety != 0} {
		if present {
			s |= 1 << i
		}
	}
	return s
}

func (b *Bridge) handle(r *Request) (Response, error) {
	if r.Now <= 0 {
		return Response{}, fail(CodeBadRequest, "missing now")
	}
	o := lookup(r.Op)
	if o == nil {
		return Response{}, fail(CodeUnknownOp, "unknown op "+quote(r.Op))
	}
	if extra := r.args() &^ o.args; extra != 0 {
		for i, name := range argNames {
			if extra&(1<<i) != 0 {
				return Response{}, fail(CodeBadRequest, o.name+": unexpected argument "+name)
			}
		}
	}
	now := unixSeconds(r.Now)
	if o.change == nil {
		return o.run(b, r, now)
	}
	var p *profile.Profile
	if len(r.Bytes) > 0 {
		q, err := profile.Decode(r.Bytes)
		if err != nil {
			return Response{}, profileError(o.name+": stored profile", err)
		}
		b.adopt(q)
		p = q
	} else {
		p = copyProfile(b.prof)
	}
	resp, err := o.change(b, p, r, now)
	switch {
	case errors.Is(err, errUnchanged):
		if len(r.Bytes) == 0 {
			return Response{}, nil
		}
		// The stored profile becomes the engine's, as load-profile would
		// make it.
		return b.settle(p, now, profile.Sealed(r.Bytes))
	case err != nil:
		return Response{}, err
	}
	return b.commit(p, now, resp)
}

// copyProfile copies p without encoding it: every slice is copied, so a
// change of the copy never reaches p (TestCopyProfile checks every field).
func copyProfile(p *profile.Profile) *profile.Profile {
	q := *p
	q.Interests = append(p.Interests[:0:0], p.Interests...)
	q.Events = append(p.Events[:0:0], p.Events...)
	for i, ev := range q.Events {
		q.Events[i].Credit = append(ev.Credit[:0:0], ev.Credit...)
	}
	q.ReadItems = append(p.ReadItems[:0:0], p.ReadItems...)
	q.Hidden = append(p.Hidden[:0:0], p.Hidden...)
	q.Muted = append(p.Muted[:0:0], p.Muted...)
	return &q
}
