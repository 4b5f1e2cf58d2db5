package bridge

import "github.com/hearth-dev/hearth/core/wire"

// The lean codec of the protocol: requests decoded and responses encoded by
// hand on core/wire, for the wasm engine (see codec_lean.go), where the msgp
// runtime would cost every reader about 250 KB of brotli. It mirrors
// message_gen.go: same keys in the same order, same encodings, same omitted
// fields, unknown request keys skipped. The fuzz tests in wire_test.go hold
// it to the generated codec; when a field changes in message.go, change it
// here too.

// readRequest decodes r from b as Request.UnmarshalMsg does and returns the
// bytes after it.
func readRequest(req *Request, b []byte) ([]byte, error) {
	r := wire.NewReader(b)
	for n := r.MapHeader(); n > 0; n-- {
		switch string(r.Key()) {
		case "op":
			req.Op = r.String()
		case "now":
			req.Now = r.Int64()
		case "seed":
			req.Seed = r.Uint64()
		case "bytes":
			req.Bytes = r.Bytes(req.Bytes)
		case "json":
			req.JSON = r.String()
		case "item":
			req.Item = r.String()
		case "kind":
			req.Kind = r.String()
		case "dwell":
			req.Dwell = r.Float32()
		case "topic":
			req.Topic = r.String()
		case "index":
			req.Index = r.Int()
		case "count":
			req.Count = r.Int()
		case "related":
			req.Related = r.Bool()
		case "consent":
			req.Consent = r.String()
		case "variety":
			req.Variety = r.Float32()
		default:
			r.Skip()
		}
	}
	return r.Rest(), r.Err()
}

func appendKey(b []byte, key string) []byte { return wire.AppendString(b, key) }

// appendResponse appends the encoding of resp as Response.MarshalMsg does.
func appendResponse(b []byte, resp *Response) []byte {
	n := 0
	for _, present := range []bool{resp.Code != "", resp.Message != "", resp.Profile != nil, resp.Learned,
		resp.Recs != nil, resp.View != nil, resp.JSON != "", resp.Catalogue != nil} {
		if present {
			n++
		}
	}
	b = wire.AppendMapHeader(b, uint32(n))
	if resp.Code != "" {
		b = wire.AppendString(appendKey(b, "code"), resp.Code)
	}
	if resp.Message != "" {
		b = wire.AppendString(appendKey(b, "msg"), resp.Message)
	}
	if resp.Profile != nil {
		b = wire.AppendBytes(appendKey(b, "profile"), resp.Profile)
	}
	if resp.Learned {
		b = wire.AppendBool(appendKey(b, "learned"), resp.Learned)
	}
	if resp.Recs != nil {
		b = wire.AppendArrayHeader(appendKey(b, "recs"), uint32(len(resp.Recs)))
		for i := range resp.Recs {
			b = appendRec(b, &resp.Recs[i])
		}
	}
	if resp.View != nil {
		b = appendView(appendKey(b, "view"), resp.View)
	}
	if resp.JSON != "" {
		b = wire.AppendString(appendKey(b, "json"), resp.JSON)
	}
	if c := resp.Catalogue; c != nil {
		b = wire.AppendMapHeader(appendKey(b, "cat"), 3)
		b = wire.AppendString(appendKey(b, "id"), c.ID)
		b = wire.AppendInt(appendKey(b, "items"), c.Items)
		b = wire.AppendString(appendKey(b, "consent"), c.Consent)
	}
	return b
}

func appendRec(b []byte, rec *Rec) []byte {
	b = wire.AppendMapHeader(b, 4)
	b = wire.AppendString(appendKey(b, "id"), rec.ID)
	b = wire.AppendString(appendKey(b, "url"), rec.URL)
	b = wire.AppendString(appendKey(b, "title"), rec.Title)
	b = wire.AppendArrayHeader(appendKey(b, "reasons"), uint32(len(rec.Reasons)))
	for _, why := range rec.Reasons {
		n := uint32(3)
		if why.Ref == "" {
			n--
		}
		b = wire.AppendMapHeader(b, n)
		b = wire.AppendString(appendKey(b, "code"), why.Code)
		b = wire.AppendString(appendKey(b, "text"), why.Text)
		if why.Ref != "" {
			b = wire.AppendString(appendKey(b, "ref"), why.Ref)
		}
	}
	return b
}

func appendItemRefs(b []byte, refs []ItemRef) []byte {
	b = wire.AppendArrayHeader(b, uint32(len(refs)))
	for _, ref := range refs {
		b = wire.AppendMapHeader(b, 3)
		b = wire.AppendString(appendKey(b, "id"), ref.ID)
		b = wire.AppendString(appendKey(b, "title"), ref.Title)
		b = wire.AppendString(appendKey(b, "url"), ref.URL)
	}
	return b
}

func appendView(b []byte, v *View) []byte {
	b = wire.AppendMapHeader(b, 8)
	b = wire.AppendString(appendKey(b, "consent"), v.Consent)
	b = wire.AppendFloat32(appendKey(b, "variety"), v.Variety)
	b = wire.AppendInt64(appendKey(b, "updated"), v.Updated)
	b = wire.AppendArrayHeader(appendKey(b, "interests"), uint32(len(v.Interests)))
	for _, in := range v.Interests {
		b = wire.AppendMapHeader(b, 2)
		b = wire.AppendString(appendKey(b, "topic"), in.Topic)
		b = wire.AppendFloat32(appendKey(b, "weight"), in.Weight)
	}
	b = wire.AppendArrayHeader(appendKey(b, "events"), uint32(len(v.Events)))
	for _, ev := range v.Events {
		n := uint32(8)
		if ev.Dwell == 0 {
			n--
		}
		if ev.Topic == "" {
			n--
		}
		b = wire.AppendMapHeader(b, n)
		b = wire.AppendInt(appendKey(b, "index"), ev.Index)
		b = wire.AppendString(appendKey(b, "item"), ev.Item)
		b = wire.AppendString(appendKey(b, "title"), ev.Title)
		b = wire.AppendString(appendKey(b, "url"), ev.URL)
		b = wire.AppendString(appendKey(b, "kind"), ev.Kind)
		b = wire.AppendInt64(appendKey(b, "time"), ev.Time)
		if ev.Dwell != 0 {
			b = wire.AppendFloat32(appendKey(b, "dwell"), ev.Dwell)
		}
		if ev.Topic != "" {
			b = wire.AppendString(appendKey(b, "topic"), ev.Topic)
		}
	}
	b = appendItemRefs(appendKey(b, "read"), v.Read)
	b = appendItemRefs(appendKey(b, "hidden"), v.Hidden)
	return wire.AppendStrings(appendKey(b, "muted"), v.Muted)
}
