//go:build !hearthlean

package bridge

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/hearth-dev/hearth/core/profile"
	"github.com/stretchr/testify/require"
)

// msgKeys returns the msgpack keys of t's fields after the first skip.
func msgKeys(t reflect.Type, skip int) []string {
	var out []string
	for i := skip; i < t.NumField(); i++ {
		out = append(out, strings.Split(t.Field(i).Tag.Get("msg"), ",")[0])
	}
	return out
}

// TestOps_Names holds the bit sets of ops.go to message.go: one argument bit
// per Request field after op and now, one result bit per Response field
// after code and msg, in the structs' order.
func TestOps_Names(t *testing.T) {
	req := msgKeys(reflect.TypeFor[Request](), 2)
	require.Equal(t, req, argNames[:])
	require.Equal(t, argSet(1)<<len(req), argVariety<<1, "one bit per argument")
	resp := msgKeys(reflect.TypeFor[Response](), 2)
	require.Equal(t, resultSet(1)<<len(resp), resCatalogue<<1, "one bit per result")
	require.Equal(t, []string{"profile", "learned", "recs", "view", "doc", "cat"}, resp)
	require.Equal(t, resp, specResults(^resultSet(0)))
}

// TestOps_Table: every operation has a name, one way to run, and codes of
// the public list; a change takes the stored profile as bytes and replies
// the profile to store.
func TestOps_Table(t *testing.T) {
	codes := constValues(t, "Code")
	require.Subset(t, codes, []string{CodeBadRequest, CodeInternal, CodeUnknownOp})
	require.ElementsMatch(t, constValues(t, "Op"), func() (names []string) {
		for _, o := range ops {
			names = append(names, o.name)
		}
		return names
	}(), "every Op constant is in the table, and only they")
	seen := map[string]bool{}
	for _, o := range ops {
		require.NotEmpty(t, o.name)
		require.False(t, seen[o.name], "%s declared twice", o.name)
		seen[o.name] = true
		require.True(t, (o.run == nil) != (o.change == nil), "%s: run or change", o.name)
		if o.change != nil {
			require.NotZero(t, o.args&argBytes, "%s changes the profile, so it takes the stored one", o.name)
			require.NotZero(t, o.results&resProfile, "%s changes the profile, so it replies it", o.name)
		}
		for _, c := range o.codes {
			require.Contains(t, codes, c, "%s", o.name)
		}
	}
	require.Len(t, Ops(), len(ops))
}

// constValues returns the values of message.go's string constants named
// prefix followed by an upper-case letter.
func constValues(t *testing.T, prefix string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "message.go", nil, 0)
	require.NoError(t, err)
	var out []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				rest, found := strings.CutPrefix(n.Name, prefix)
				if !found || rest == "" || rest[0] < 'A' || rest[0] > 'Z' {
					continue
				}
				v, err := strconv.Unquote(vs.Values[i].(*ast.BasicLit).Value)
				require.NoError(t, err)
				out = append(out, v)
			}
		}
	}
	return out
}

// TestBridge_Encodes counts the profile encodings each operation costs. A
// change encodes the profile once, for the Worker to store, whether it
// applies to the stored profile passed as bytes (what the Worker does) or
// to the engine's own, which is copied without encoding; before, a change
// encoded twice (a copy by encoding and decoding, then the result).
func TestBridge_Encodes(t *testing.T) {
	stored := ok(t, reader(t), Request{Op: OpTrack, Item: "go3", Kind: "view"}).Profile
	exported := ok(t, reader(t), Request{Op: OpExport}).Doc
	n := 0
	orig := encodeProfile
	encodeProfile = func(p *profile.Profile) ([]byte, error) {
		n++
		return orig(p)
	}
	t.Cleanup(func() { encodeProfile = orig })
	tests := []struct {
		req  Request
		want int
	}{
		{Request{Op: OpTrack, Item: "soup", Kind: "view"}, 1},
		{Request{Op: OpTrack, Item: "soup", Kind: "view", Bytes: stored}, 1},
		{Request{Op: OpTrack, Item: "flu", Kind: "read", Dwell: 60}, 0},
		{Request{Op: OpTrack, Item: "flu", Kind: "read", Dwell: 60, Bytes: stored}, 0},
		{Request{Op: OpForgetItem, Item: "go1", Bytes: stored}, 1},
		{Request{Op: OpForgetEvent, Index: 0}, 1},
		{Request{Op: OpVariety, Variety: 0.5, Bytes: stored}, 1},
		{Request{Op: OpImport, Doc: exported, Bytes: stored}, 1},
		{Request{Op: OpLoadProfile, Bytes: stored}, 0},
		{Request{Op: OpRecommend, Count: 3}, 0},
		{Request{Op: OpProfile}, 0},
	}
	for _, tt := range tests {
		b := reader(t)
		n = 0
		ok(t, b, tt.req)
		require.Equal(t, tt.want, n, "%s (stored bytes: %t)", tt.req.Op, tt.req.Bytes != nil)
	}
}

// fill sets every field reachable from v to a value that is not zero, with
// one element in every slice, so that a copy can be checked field by field.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i))
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	case reflect.Array:
		for i := range v.Len() { // none for the blank [0]func() of an incomparable type
			fill(v.Index(i))
		}
	case reflect.String:
		v.SetString("x")
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(1)
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1)
	case reflect.Bool:
		v.SetBool(true)
	default:
		panic("fill: a profile field of kind " + v.Kind().String() + ": teach fill and copyProfile about it")
	}
}

// shared reports the path of a slice that a and b share.
func shared(a, b reflect.Value, path string) string {
	switch a.Kind() {
	case reflect.Struct:
		for i := range a.NumField() {
			if s := shared(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); s != "" {
				return s
			}
		}
	case reflect.Slice:
		if a.Len() > 0 && a.Pointer() == b.Pointer() {
			return path
		}
		for i := range min(a.Len(), b.Len()) {
			if s := shared(a.Index(i), b.Index(i), path+"[]"); s != "" {
				return s
			}
		}
	}
	return ""
}

// TestCopyProfile: copyProfile copies every field of a profile and shares
// no slice with it, so a change of the copy never reaches the engine's
// profile; a field added to profile.Profile that it misses fails here.
func TestCopyProfile(t *testing.T) {
	p := &profile.Profile{}
	fill(reflect.ValueOf(p).Elem())
	q := copyProfile(p)
	require.Equal(t, p, q)
	require.Empty(t, shared(reflect.ValueOf(p).Elem(), reflect.ValueOf(q).Elem(), "Profile"))
	require.Nil(t, copyProfile(profile.New()).Events, "an empty profile stays empty")
}
