//go:build !hearthlean

package bridge

import (
	"reflect"
	"strings"
)

// OpSpec is one operation as the table of ops.go declares it, for the
// generator of the protocol's JavaScript half (internal/genproto). It is
// left out of the engine (hearthlean builds), which runs the table itself.
type OpSpec struct {
	Name    string
	Args    []string // msgpack keys of the Request fields it takes, besides op and now
	Results []string // keys of the Response fields a success may carry
	Codes   []string // codes it may fail with, besides bad-request and internal
	Change  bool     // it changes the profile: bytes is the stored profile it applies to
}

// Ops returns the declaration of every operation, in the table's order.
func Ops() []OpSpec {
	out := make([]OpSpec, len(ops))
	for i, o := range ops {
		out[i] = OpSpec{Name: o.name, Results: specResults(o.results), Codes: append([]string(nil), o.codes...), Change: o.change != nil}
		for j, name := range argNames {
			if o.args&(1<<j) != 0 {
				out[i].Args = append(out[i].Args, name)
			}
		}
	}
	return out
}

// specResults names the Response fields of a result set by their keys.
func specResults(s resultSet) []string {
	t := reflect.TypeFor[Response]()
	var out []string
	for i := 2; i < t.NumField(); i++ {
		if s&(1<<(i-2)) != 0 {
			out = append(out, strings.Split(t.Field(i).Tag.Get("msg"), ",")[0])
		}
	}
	return out
}
