package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// generate runs leangen on src, declared in a package of its own beside
// other (more files of the package, may be empty).
func generate(t *testing.T, cfg config, src, other string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	cfg.file = filepath.Join(dir, "types.go")
	cfg.out = filepath.Join(dir, "types_lean_gen.go")
	require.NoError(t, os.WriteFile(cfg.file, []byte("package p\n\n"+src), 0o644))
	if other != "" {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "other.go"), []byte("package p\n\n"+other), 0o644))
	}
	if err := run(cfg); err != nil {
		return "", err
	}
	b, err := os.ReadFile(cfg.out)
	require.NoError(t, err)
	return string(b), nil
}

func TestGenerate_refuses(t *testing.T) {
	lim := config{unexported: true, limiter: "limiter", root: "doc"}
	tests := []struct {
		name string
		cfg  config
		src  string
		want string
	}{
		{"int8", config{}, "type T struct{ A int8 }", "type int8"},
		{"array", config{}, "type T struct{ A [4]int }", "arrays are not supported"},
		{"int map key", config{}, "type T struct{ A map[int]string }", "string keys"},
		{"pointer to int", config{}, "type T struct{ A *int }", "pointers to (non-tuple) structs"},
		{"pointer to tuple", config{}, "type T struct{ A *U }\ntype U struct{ B int }\n//msgp:tuple U", "pointers to (non-tuple) structs"},
		{"interface", config{}, "type T struct{ A any }", "not declared"},
		{"other package", config{}, "type T struct{ A time.Time }", "not supported"},
		{"named slice", config{}, "type T struct{ A S }\ntype S []int", "only structs and named basic types"},
		{"embedded", config{}, "type T struct{ U }\ntype U struct{}", "embedded"},
		{"option", config{}, "type T struct{ A []int `msg:\"a,allownil\"` }", `option "allownil"`},
		{"directive", config{}, "type T struct{ A int }\n//msgp:shim T as:string", "//msgp:shim"},
		{"omitempty struct", config{}, "type T struct{ A U `msg:\"a,omitempty\"` }\ntype U struct{}", "omitempty on a struct"},
		{"omitempty in tuple", config{}, "type T struct{ A int `msg:\"a,omitempty\"` }\n//msgp:tuple T", "omitempty in a tuple"},
		{"repeated key", config{}, "type T struct{ A int `msg:\"x\"`; B int `msg:\"x\"` }", `key "x" repeated`},
		{"nothing to do", config{}, "type t struct{ A int }", "no struct types"},
		{"limiter without root", config{limiter: "l"}, "type T struct{}", "go together"},
		{"no root", lim, "type T struct{}", "-root doc"},
		{"array without limit", lim, "type doc struct{ A []int }", "needs a limit tag"},
		{"limit not a name", lim, "type doc struct{ A []int `limit:\"a-b\"` }", "not an identifier"},
		{"limit on a value", lim, "type doc struct{ A int `limit:\"x\"` }", "not an array"},
		{"type at two depths", lim, "type doc struct{ A u; B w }\ntype w struct{ C u }\ntype u struct{}", "found at depths 1 and 2"},
		{"conflicting limits", lim, "type doc struct{ A u `msg:\"a\"`; B v `msg:\"b\"` }\ntype u struct{ C []int `msg:\"c\" limit:\"x\"` }\ntype v struct{ C []int `msg:\"c\" limit:\"y\"` }", "limits x and y"},
		{"map with limiter", lim, "type doc struct{ A map[string]int }", "maps are not supported"},
		{"tuple of an array with limiter", lim, "type doc struct{ A u }\ntype u struct{ B []int `limit:\"x\"` }\n//msgp:tuple u", "a tuple holds only basic values"},
		{"unreachable with limiter", lim, "type doc struct{}\ntype u struct{}", "not reachable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := generate(t, tt.cfg, tt.src, "")
			require.ErrorContains(t, err, tt.want)
		})
	}
}

func TestGenerate_limits(t *testing.T) {
	src := "type doc struct {\n" +
		"\tTopics []string `msg:\"topics\" limit:\"topics\"`\n" +
		"\tCols cols `msg:\"items\"`\n" +
		"\tPolicy *pol `msg:\"policy\"`\n" +
		"}\n" +
		"type cols struct {\n" +
		"\tID []string `msg:\"id\" limit:\"items\"`\n" +
		"\tURL []string `msg:\"url\" limit:\"column\"`\n" +
		"\tThumb [][]byte `msg:\"thumb\" limit:\"column\"`\n" +
		"\tVec []byte `msg:\"vec\"`\n" +
		"}\n" +
		"type pol struct {\n" +
		"\tPinned []string `msg:\"pinned\" limit:\"policyList\"`\n" +
		"}\n"
	out, err := generate(t, config{unexported: true, limiter: "limiter", root: "doc"}, src, "")
	require.NoError(t, err)
	for _, want := range []string{
		"func (z *doc) readMsg(r *wire.Reader, l *limiter) {",
		"z.Topics = r.Strings(z.Topics, l.array(r, 1, key))",
		"z.Cols.readMsg(r, l)",
		"z.ID = r.Strings(z.ID, l.array(r, 2, key))",
		"z.Thumb = wire.Resize(z.Thumb, l.array(r, 2, key))",
		"z.Vec = r.Bytes(z.Vec)",
		"l.skip(r, 1, key)",
		"l.skip(r, 2, key)",
		"func limitOf(depth int, key string) limit {",
		"case \"url\", \"thumb\":\n\t\t\treturn limitColumn",
		"case \"pinned\":\n\t\t\treturn limitPolicyList",
	} {
		require.Contains(t, out, want)
	}
}

func TestGenerate_limitsTuple(t *testing.T) {
	// A tuple of basic values met at two depths: its header is read as
	// without -limiter, the arrays holding it through the limiter.
	src := "type doc struct {\n" +
		"\tPairs []pair `msg:\"pairs\" limit:\"pairs\"`\n" +
		"\tEv []ev `msg:\"ev\" limit:\"list\"`\n" +
		"}\n" +
		"type ev struct {\n" +
		"\tC []pair `msg:\"c\" limit:\"credit\"`\n" +
		"}\n" +
		"type pair struct{ K string; W float32 }\n" +
		"//msgp:tuple pair\n"
	out, err := generate(t, config{unexported: true, limiter: "limiter", root: "doc"}, src, "")
	require.NoError(t, err)
	for _, want := range []string{
		"func (z *pair) readMsg(r *wire.Reader, l *limiter) {\n\tr.Tuple(2)",
		"z.Pairs = wire.Resize(z.Pairs, l.array(r, 1, key))",
		"z.C = wire.Resize(z.C, l.array(r, 3, key))",
		"z.C[i1].readMsg(r, l)",
	} {
		require.Contains(t, out, want)
	}
}

func TestGenerate_file(t *testing.T) {
	src := "type T struct {\n" +
		"\tA int `msg:\"a\"`\n" +
		"\tb int\n" +
		"\tC Kind `msg:\",omitempty\"`\n" +
		"\tD int `msg:\"-\"`\n" +
		"}\n" +
		"type Ignored struct{ F func() }\n" +
		"type hidden struct{ F func() }\n" +
		"//msgp:ignore Ignored\n"
	out, err := generate(t, config{tag: "!nope"}, src, "type Kind uint16")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(out, "//go:build !nope\n\n// Code generated by core/internal/leangen from types.go. DO NOT EDIT.\n"), out)
	require.Contains(t, out, `case "a":`)
	require.Contains(t, out, `case "C":`, "an empty tag name keys the field by its name")
	require.Contains(t, out, "z.C = Kind(r.Uint16())", "a named type declared in another file")
	require.Contains(t, out, "b = wire.AppendUint64(b, uint64(z.C))")
	require.Contains(t, out, `b = wire.AppendRaw(b, "\xa1a")`, "the header and first key of a fixed map, encoded once")
	require.NotContains(t, out, `"b"`, "unexported fields are left out without -unexported, as msgp does")
	require.NotContains(t, out, `"D"`)
	require.NotContains(t, out, "Ignored")
	require.NotContains(t, out, "hidden")

	again, err := generate(t, config{tag: "!nope"}, src, "type Kind uint16")
	require.NoError(t, err)
	require.Equal(t, out, again, "the output depends only on the declarations")
}
