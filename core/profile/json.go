//go:build !hearthlean || !js

package profile

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/hearth-dev/hearth/core/internal/errfmt"
	"github.com/hearth-dev/hearth/core/wire"
)

// The export's JSON text, for native code (tools, tests): encoding/json
// parses and prints it as the Worker's JSON.parse and JSON.stringify do in
// the browser, and doc.go maps the document. Left out of the engine
// (hearthlean builds for js), which takes and gives the document only;
// native hearthlean builds keep it, so that the package's tests run on the
// engine's codecs too (make test).

// ExportJSON returns the export as a file: [Profile.ExportDoc]'s document
// as JSON text ([DocJSON]), the bytes the Worker writes.
func (p *Profile) ExportJSON(now int64) ([]byte, error) {
	doc, err := p.ExportDoc(now)
	if err != nil {
		return nil, err
	}
	return DocJSON(doc)
}

// ImportJSON reads a file written by [Profile.ExportJSON] or the Worker: a
// text within [MaxJSONBytes], parsed into a document as the Worker parses
// it ([JSONDoc]), which [ImportDoc] reads.
func ImportJSON(b []byte) (*Profile, error) {
	if len(b) > MaxJSONBytes {
		return nil, errfmt.Wrap("import profile: ", ErrTooLarge, ": "+errfmt.Itoa(len(b))+" bytes, limit "+errfmt.Itoa(MaxJSONBytes))
	}
	doc, err := JSONDoc(b)
	if err != nil {
		return nil, errfmt.Wrap("import profile: ", err, "")
	}
	return ImportDoc(doc)
}

// JSONDoc parses one JSON value and encodes it as the Worker encodes what
// JSON.parse returns (js/protocol.js, encodeDoc): of repeated keys the last
// one, null members left out, a number as an integer when it is a whole
// one within ±(2^53 - 1), else as a float64 (±Inf beyond its range). Its
// errors wrap ErrInvalid.
func JSONDoc(text []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errfmt.Wrap("", ErrInvalid, ": not JSON: "+err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errfmt.Wrap("", ErrInvalid, ": data after the profile")
	}
	return appendDoc(nil, v), nil
}

func appendDoc(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return wire.AppendNil(b)
	case bool:
		return wire.AppendBool(b, v)
	case string:
		return wire.AppendString(b, v)
	case json.Number:
		f, _ := strconv.ParseFloat(string(v), 64) // ±Inf beyond range, as JSON.parse
		if f == math.Trunc(f) && math.Abs(f) <= 1<<53-1 {
			return wire.AppendInt64(b, int64(f))
		}
		return wire.AppendFloat64(b, f)
	case []any:
		b = wire.AppendArrayHeader(b, uint32(len(v)))
		for _, x := range v {
			b = appendDoc(b, x)
		}
		return b
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k, x := range v {
			if x != nil {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		b = wire.AppendMapHeader(b, uint32(len(keys)))
		for _, k := range keys {
			b = appendDoc(wire.AppendString(b, k), v[k])
		}
		return b
	}
	panic("profile: not a value encoding/json decodes into any")
}

// DocJSON writes a document as JSON text as the Worker writes the export
// (JSON.stringify(doc, null, 2), with <, >, &, U+2028 and U+2029 escaped):
// json.MarshalIndent(x, "", "  ")'s bytes, members in the document's order.
// Its errors wrap ErrInvalid.
func DocJSON(doc []byte) ([]byte, error) {
	r := wire.NewReader(doc)
	compact := appendJSON(nil, r)
	if err := r.Err(); err != nil {
		return nil, errfmt.Wrap("", ErrInvalid, ": not a MessagePack document: "+err.Error())
	}
	if len(r.Rest()) != 0 {
		return nil, errfmt.Wrap("", ErrInvalid, ": data after the document")
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact, "", "  "); err != nil {
		return nil, errfmt.Wrap("", ErrInvalid, ": "+err.Error())
	}
	return out.Bytes(), nil
}

// appendJSON appends the next value of r as compact JSON.
func appendJSON(b []byte, r *wire.Reader) []byte {
	rest := r.Rest()
	if r.Err() != nil || len(rest) == 0 {
		r.Skip() // fails at the end of the input
		return b
	}
	var v any
	switch docType(rest[0]) {
	case docNull:
		r.Nil()
	case docBool:
		v = r.Bool()
	case docNumber:
		if rest[0] == 0xca || rest[0] == 0xcb {
			v = r.Float64()
		} else {
			v = r.Int64()
		}
	case docString:
		v = r.String()
	case docList:
		n := r.ArrayHeader()
		b = append(b, '[')
		for i := range n {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, r)
		}
		return append(b, ']')
	case docObject:
		n := r.MapHeader()
		b = append(b, '{')
		for i := range n {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, r)
			b = append(b, ':')
			b = appendJSON(b, r)
		}
		return append(b, '}')
	default:
		r.Fail(wire.ErrType)
		return b
	}
	j, err := json.Marshal(v)
	if err != nil { // NaN or an infinity
		r.Fail(wire.ErrRange)
		return b
	}
	return append(b, j...)
}
