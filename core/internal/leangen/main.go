// Command leangen writes the lean MessagePack codec of a file's wire types:
// the code the wasm engine decodes and encodes them with, on core/wire,
// instead of the msgp-generated code, whose runtime would cost every reader
// about 250 KB of brotli (docs/size.md). go:generate runs it beside msgp, on
// the same declarations:
//
//	//go:generate go tool msgp -io=false -file profile.go -o profile_gen.go
//	//go:generate go run ../internal/leangen -o profile_lean_gen.go profile.go
//
// # What it writes
//
// For every struct type of the file that msgp encodes (exported ones, all
// with -unexported as msgp; //msgp:ignore and //msgp:tuple are read as msgp
// reads them), three methods:
//
//   - readMsg(r *wire.Reader) decodes in place as the generated
//     UnmarshalMsg does: keys (str or bin) in any order, unknown ones
//     skipped, slices resized as msgp resizes them (wire.Resize), pointers
//     set to nil by a nil and allocated otherwise, maps cleared.
//   - appendMsg(b []byte) []byte encodes as MarshalMsg does: the same keys
//     in the same order, the same widths (core/wire's Append functions
//     choose msgp's), omitempty fields left out on msgp's zero test.
//   - sizeHint() int is an upper bound of the encoded size.
//
// Both codecs are fuzzed against each other byte for byte in the packages
// that use them (wire_test.go there); leangen refuses any type or option it
// cannot encode exactly as msgp does, rather than guess.
//
// # Limits
//
// With -limiter T -root R, the decoders take a second argument l *T and
// read every array header through l.array(r, depth, key) and skip every
// unknown field through l.skip(r, depth, key), so the owner can refuse a
// count before anything is allocated. depth counts from R's map (0), as
// core/internal/scan's Visitor does. Each slice field of those types must
// then name its bound in a tag, `limit:"items"`, and leangen also writes
//
//	func limitOf(depth int, key string) limit
//
// returning limitItems for the arrays tagged "items", or limitNone: the
// table prescan and the lean decoder share, written by hand in the owner
// (type limit and its constants). A //msgp:tuple type of basic values may
// be met at any depth: it has no array or unknown field of its own, and its
// header is read as without -limiter.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

const wirePath = "github.com/hearth-dev/hearth/core/wire"

func main() {
	var cfg config
	flag.StringVar(&cfg.out, "o", "", "output `file`")
	flag.BoolVar(&cfg.unexported, "unexported", false, "also process unexported types, as msgp's -unexported")
	flag.StringVar(&cfg.limiter, "limiter", "", "decoders take l *`T` and check arrays with l.array, unknown fields with l.skip")
	flag.StringVar(&cfg.root, "root", "", "the `type` at depth 0 of -limiter's depths")
	flag.StringVar(&cfg.tag, "tag", "", "build constraint `expression` of the output")
	flag.Parse()
	if flag.NArg() != 1 || cfg.out == "" {
		fmt.Fprintln(os.Stderr, "usage: leangen [-unexported] [-limiter T -root R] [-tag expr] -o out.go file.go")
		os.Exit(2)
	}
	cfg.file = flag.Arg(0)
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "leangen:", err)
		os.Exit(1)
	}
}

type config struct {
	file, out     string
	unexported    bool
	limiter, root string
	tag           string
}

func run(cfg config) error {
	src, err := os.ReadFile(cfg.file)
	if err != nil {
		return err
	}
	pkg, err := parsePackage(filepath.Dir(cfg.file), filepath.Base(cfg.file), src)
	if err != nil {
		return err
	}
	out, err := lean(pkg, cfg)
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.file, err)
	}
	return os.WriteFile(cfg.out, out, 0o644)
}

// pkgInfo is what leangen knows of a package: the declaring file and the
// type declarations of all its files, for types the file refers to.
type pkgInfo struct {
	name  string
	file  string    // base name of the declaring file
	decl  *ast.File // the declaring file
	specs map[string]*ast.TypeSpec
}

// parsePackage parses the declaring file, given as src, and the other Go
// files of dir that are neither tests nor generated.
func parsePackage(dir, file string, src []byte) (*pkgInfo, error) {
	fset := token.NewFileSet()
	decl, err := parser.ParseFile(fset, file, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	pkg := &pkgInfo{name: decl.Name.Name, file: file, decl: decl, specs: map[string]*ast.TypeSpec{}}
	addSpecs(pkg.specs, decl)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if name == file || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		if ast.IsGenerated(parseHeader(fset, name, b)) {
			continue
		}
		f, err := parser.ParseFile(fset, name, b, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		if f.Name.Name == pkg.name {
			addSpecs(pkg.specs, f)
		}
	}
	return pkg, nil
}

// parseHeader parses the package clause and comments of a file; a file
// that does not parse is reported by the full parse that follows.
func parseHeader(fset *token.FileSet, name string, b []byte) *ast.File {
	f, _ := parser.ParseFile(fset, name, b, parser.PackageClauseOnly|parser.ParseComments)
	if f == nil {
		return &ast.File{}
	}
	return f
}

func addSpecs(specs map[string]*ast.TypeSpec, f *ast.File) {
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE {
			for _, s := range g.Specs {
				ts := s.(*ast.TypeSpec)
				specs[ts.Name.Name] = ts
			}
		}
	}
}

// kind is the shape of a wire value.
type kind int

const (
	kBasic  kind = iota // bool, string, []byte or a number
	kStruct             // a struct declared in the package: its methods
	kSlice
	kPtr
	kMap // map[string]elem
)

// typ is a field's type as the codec sees it.
type typ struct {
	kind  kind
	basic *basic // kBasic
	conv  string // kBasic: the named type to convert to, if any
	name  string // kStruct: the type name
	tuple bool   // kStruct: //msgp:tuple
	elem  *typ   // kSlice, kPtr, kMap
	expr  string // the Go type, for make and new
}

// basic is how core/wire reads, writes and sizes one basic type.
type basic struct {
	goType string // the Go type
	read   string // Reader method
	append string // Append function
	as     string // the type the Append function takes, when a conversion is needed
	size   int    // widest encoding; 0 for str and bin, sized by their length
	zero   string // msgp's omitempty test compares with it
}

var basics = map[string]*basic{}

func init() {
	for _, b := range []basic{
		{goType: "bool", read: "Bool", append: "AppendBool", size: 1, zero: "false"},
		{goType: "string", read: "String", append: "AppendString", size: 0, zero: `""`},
		{goType: "[]byte", read: "Bytes", append: "AppendBytes", size: 0, zero: "nil"},
		{goType: "int", read: "Int", append: "AppendInt", size: 9, zero: "0"},
		{goType: "int64", read: "Int64", append: "AppendInt64", size: 9, zero: "0"},
		{goType: "uint8", read: "Uint8", append: "AppendUint64", as: "uint64", size: 2, zero: "0"},
		{goType: "byte", read: "Uint8", append: "AppendUint64", as: "uint64", size: 2, zero: "0"},
		{goType: "uint16", read: "Uint16", append: "AppendUint64", as: "uint64", size: 3, zero: "0"},
		{goType: "uint32", read: "Uint32", append: "AppendUint64", as: "uint64", size: 5, zero: "0"},
		{goType: "uint64", read: "Uint64", append: "AppendUint64", size: 9, zero: "0"},
		{goType: "float32", read: "Float32", append: "AppendFloat32", size: 5, zero: "0"},
		{goType: "float64", read: "Float64", append: "AppendFloat64", size: 9, zero: "0"},
	} {
		basics[b.goType] = &b
	}
}

// field is one encoded field of a struct.
type field struct {
	name      string // Go name
	key       string // wire key
	omitempty bool
	limit     string // the limit tag, with -limiter
	t         *typ
}

// strct is one struct type to generate methods for.
type strct struct {
	name   string
	tuple  bool
	fields []field
	depth  int // depth of its map or tuple below -root, with -limiter
}

// lean returns the formatted lean codec of pkg's declaring file.
func lean(pkg *pkgInfo, cfg config) ([]byte, error) {
	if (cfg.limiter == "") != (cfg.root == "") {
		return nil, errors.New("-limiter and -root go together")
	}
	ignore, tuples, err := directives(pkg.decl)
	if err != nil {
		return nil, err
	}
	g := &gen{pkg: pkg, cfg: cfg, tuples: tuples}
	for _, d := range pkg.decl.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, s := range gd.Specs {
			ts := s.(*ast.TypeSpec)
			st, ok := ts.Type.(*ast.StructType)
			name := ts.Name.Name
			if !ok || ignore[name] || (!cfg.unexported && !ast.IsExported(name)) {
				continue
			}
			if ts.TypeParams != nil {
				return nil, fmt.Errorf("type %s: type parameters are not supported", name)
			}
			s, err := g.structType(name, st)
			if err != nil {
				return nil, fmt.Errorf("type %s: %w", name, err)
			}
			g.structs = append(g.structs, s)
		}
	}
	if len(g.structs) == 0 {
		return nil, errors.New("no struct types to generate")
	}
	if cfg.limiter != "" {
		if err := g.depths(); err != nil {
			return nil, err
		}
	}
	return g.file()
}

// directives reads //msgp:ignore and //msgp:tuple; any other //msgp:
// directive changes what msgp writes in a way leangen does not follow.
func directives(f *ast.File) (ignore, tuples map[string]bool, err error) {
	ignore, tuples = map[string]bool{}, map[string]bool{}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			rest, ok := strings.CutPrefix(c.Text, "//msgp:")
			if !ok {
				continue
			}
			words := strings.Fields(rest)
			switch {
			case len(words) > 0 && words[0] == "ignore":
				for _, w := range words[1:] {
					ignore[w] = true
				}
			case len(words) > 0 && words[0] == "tuple":
				for _, w := range words[1:] {
					tuples[w] = true
				}
			default:
				return nil, nil, fmt.Errorf("directive %q: leangen follows only //msgp:ignore and //msgp:tuple", c.Text)
			}
		}
	}
	return ignore, tuples, nil
}

type gen struct {
	pkg     *pkgInfo
	cfg     config
	tuples  map[string]bool
	structs []*strct
	limits  []limitEntry
}

// limitEntry is one row of limitOf: the array at depth under key.
type limitEntry struct {
	depth int
	key   string
	limit string
}

func (g *gen) structType(name string, st *ast.StructType) (*strct, error) {
	s := &strct{name: name, tuple: g.tuples[name]}
	seen := map[string]bool{}
	for _, f := range st.Fields.List {
		if len(f.Names) == 0 {
			return nil, errors.New("embedded fields are not supported")
		}
		if len(f.Names) > 1 {
			// msgp keys grouped fields (A, B int) by their names and
			// ignores their tag.
			t, err := g.resolve(f.Type, 0)
			if err != nil {
				return nil, fmt.Errorf("field %s: %w", f.Names[0].Name, err)
			}
			for _, n := range f.Names {
				if g.cfg.unexported || ast.IsExported(n.Name) {
					s.fields = append(s.fields, field{name: n.Name, key: n.Name, t: t})
				}
			}
			continue
		}
		fd := field{name: f.Names[0].Name, key: f.Names[0].Name}
		if !g.cfg.unexported && !ast.IsExported(fd.name) {
			continue // msgp drops unexported fields without -unexported
		}
		if f.Tag != nil {
			tag, err := strconv.Unquote(f.Tag.Value)
			if err != nil {
				return nil, fmt.Errorf("field %s: tag: %w", fd.name, err)
			}
			tags := reflect.StructTag(tag)
			body := tags.Get("msg")
			if body == "" {
				body = tags.Get("msgpack") // msgp reads either
			}
			parts := strings.Split(body, ",")
			if parts[0] == "-" {
				continue
			}
			if parts[0] != "" {
				fd.key = parts[0]
			}
			for _, opt := range parts[1:] {
				if opt != "omitempty" {
					return nil, fmt.Errorf("field %s: option %q: leangen follows only omitempty", fd.name, opt)
				}
				fd.omitempty = true
			}
			fd.limit = tags.Get("limit")
		}
		t, err := g.resolve(f.Type, 0)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", fd.name, err)
		}
		fd.t = t
		if fd.omitempty && s.tuple {
			return nil, fmt.Errorf("field %s: omitempty in a tuple", fd.name)
		}
		if fd.omitempty && t.kind == kStruct {
			return nil, fmt.Errorf("field %s: omitempty on a struct", fd.name)
		}
		s.fields = append(s.fields, fd)
	}
	for _, f := range s.fields {
		if seen[f.key] {
			return nil, fmt.Errorf("field %s: key %q repeated", f.name, f.key)
		}
		seen[f.key] = true
	}
	return s, nil
}

// resolve turns a field's type expression into a typ.
func (g *gen) resolve(e ast.Expr, nesting int) (*typ, error) {
	if nesting > 8 {
		return nil, errors.New("type nests too deeply")
	}
	expr := exprString(e)
	switch e := e.(type) {
	case *ast.Ident:
		if b, ok := basics[e.Name]; ok {
			return &typ{kind: kBasic, basic: b, expr: expr}, nil
		}
		ts, ok := g.pkg.specs[e.Name]
		if !ok {
			return nil, fmt.Errorf("type %s: not declared in package %s, or not supported", e.Name, g.pkg.name)
		}
		if ts.TypeParams != nil {
			return nil, fmt.Errorf("type %s: type parameters are not supported", e.Name)
		}
		switch u := ts.Type.(type) {
		case *ast.StructType:
			return &typ{kind: kStruct, name: e.Name, tuple: g.tuples[e.Name], expr: expr}, nil
		case *ast.Ident:
			b, ok := basics[u.Name]
			if !ok || ts.Assign.IsValid() {
				return nil, fmt.Errorf("type %s: only named basic types are supported", e.Name)
			}
			return &typ{kind: kBasic, basic: b, conv: e.Name, expr: expr}, nil
		}
		return nil, fmt.Errorf("type %s: only structs and named basic types are supported", e.Name)
	case *ast.ArrayType:
		if e.Len != nil {
			return nil, errors.New("arrays are not supported, only slices")
		}
		if id, ok := e.Elt.(*ast.Ident); ok && (id.Name == "byte" || id.Name == "uint8") {
			return &typ{kind: kBasic, basic: basics["[]byte"], expr: expr}, nil
		}
		el, err := g.resolve(e.Elt, nesting+1)
		if err != nil {
			return nil, err
		}
		return &typ{kind: kSlice, elem: el, expr: expr}, nil
	case *ast.StarExpr:
		el, err := g.resolve(e.X, nesting+1)
		if err != nil {
			return nil, err
		}
		if el.kind != kStruct || el.tuple {
			return nil, errors.New("only pointers to (non-tuple) structs are supported")
		}
		return &typ{kind: kPtr, elem: el, expr: expr}, nil
	case *ast.MapType:
		if k, ok := e.Key.(*ast.Ident); !ok || k.Name != "string" {
			return nil, errors.New("only maps with string keys are supported")
		}
		el, err := g.resolve(e.Value, nesting+1)
		if err != nil {
			return nil, err
		}
		return &typ{kind: kMap, elem: el, expr: expr}, nil
	}
	return nil, fmt.Errorf("type %s is not supported", expr)
}

// exprString prints a type expression.
func exprString(e ast.Expr) string {
	var b bytes.Buffer
	if err := format.Node(&b, token.NewFileSet(), e); err != nil {
		return "?"
	}
	return b.String()
}

// depths assigns each struct the depth of its map below -root and collects
// the limit tags; a type met at two depths, or an array without a limit,
// is an error.
func (g *gen) depths() error {
	byName := map[string]*strct{}
	for _, s := range g.structs {
		byName[s.name] = s
		s.depth = -1
	}
	root, ok := byName[g.cfg.root]
	if !ok {
		return fmt.Errorf("-root %s: not a struct type of this file", g.cfg.root)
	}
	seen := map[limitEntry]bool{}
	var visit func(s *strct, depth int) error
	visit = func(s *strct, depth int) error {
		if s.tuple {
			// A tuple of basic values has no array or unknown field
			// of its own for the limiter to see, so it may be met at
			// any depth; its own header is its owner's element.
			for _, f := range s.fields {
				if f.t.kind != kBasic {
					return fmt.Errorf("type %s: with -limiter, a tuple holds only basic values", s.name)
				}
			}
			s.depth = max(s.depth, depth)
			return nil
		}
		if s.depth == depth {
			return nil
		}
		if s.depth >= 0 {
			return fmt.Errorf("type %s: found at depths %d and %d; -limiter needs one", s.name, s.depth, depth)
		}
		s.depth = depth
		for _, f := range s.fields {
			t, d := f.t, depth+1
			if t.kind == kMap {
				return fmt.Errorf("type %s, field %s: maps are not supported with -limiter", s.name, f.name)
			}
			if t.kind == kSlice {
				if f.limit == "" {
					return fmt.Errorf("type %s, field %s: an array needs a limit tag with -limiter", s.name, f.name)
				}
				if !token.IsIdentifier(f.limit) {
					return fmt.Errorf("type %s, field %s: limit %q is not an identifier", s.name, f.name, f.limit)
				}
				e := limitEntry{d, f.key, f.limit}
				if !seen[e] {
					for _, o := range g.limits {
						if o.depth == d && o.key == f.key {
							return fmt.Errorf("type %s, field %s: arrays at depth %d under %q have limits %s and %s", s.name, f.name, d, f.key, o.limit, f.limit)
						}
					}
					seen[e] = true
					g.limits = append(g.limits, e)
				}
				t, d = t.elem, d+1
				if t.kind == kSlice || t.kind == kMap {
					return fmt.Errorf("type %s, field %s: nested containers are not supported with -limiter", s.name, f.name)
				}
			} else if f.limit != "" {
				return fmt.Errorf("type %s, field %s: a limit tag on a value that is not an array", s.name, f.name)
			}
			if t.kind == kPtr {
				t = t.elem
			}
			if t.kind == kStruct {
				sub, ok := byName[t.name]
				if !ok {
					return fmt.Errorf("type %s, field %s: type %s is not generated here", s.name, f.name, t.name)
				}
				if err := visit(sub, d); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := visit(root, 0); err != nil {
		return err
	}
	for _, s := range g.structs {
		if s.depth < 0 {
			return fmt.Errorf("type %s: not reachable from -root %s", s.name, g.cfg.root)
		}
	}
	return nil
}

// w collects generated code.
type w struct {
	bytes.Buffer
	vars int // for fresh variable names
}

func (b *w) p(format string, args ...any) { fmt.Fprintf(&b.Buffer, format+"\n", args...) }

// fresh returns a new variable name starting with prefix.
func (b *w) fresh(prefix string) string {
	b.vars++
	return prefix + strconv.Itoa(b.vars)
}

func (g *gen) file() ([]byte, error) {
	var b w
	if g.cfg.tag != "" {
		b.p("//go:build %s\n", g.cfg.tag)
	}
	b.p("// Code generated by core/internal/leangen from %s. DO NOT EDIT.\n", g.pkg.file)
	b.p("package %s\n", g.pkg.name)
	b.p("import %q\n", wirePath)
	for _, s := range g.structs {
		g.readMethod(&b, s)
		g.appendMethod(&b, s)
		g.sizeMethod(&b, s)
	}
	if len(g.limits) > 0 {
		g.limitTable(&b)
	}
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("generated code does not parse: %w\n%s", err, b.Bytes())
	}
	return out, nil
}

func (g *gen) readMethod(b *w, s *strct) {
	b.vars = 0
	lim := g.cfg.limiter != ""
	params := "r *wire.Reader"
	if lim {
		params += ", l *" + g.cfg.limiter
	}
	b.p("// readMsg decodes z from r as (*%s).UnmarshalMsg does.", s.name)
	b.p("func (z *%s) readMsg(%s) {", s.name, params)
	if s.tuple {
		b.p("r.Tuple(%d)", len(s.fields))
		for _, f := range s.fields {
			g.read(b, f.t, "z."+f.name, s.depth+1, "")
		}
		b.p("}\n")
		return
	}
	keyVar := ""
	if lim {
		keyVar = "key"
		b.p("for n := r.MapHeader(); n > 0; n-- {")
		b.p("switch key := r.Key(); string(key) {")
	} else {
		b.p("for n := r.MapHeader(); n > 0; n-- {")
		b.p("switch string(r.Key()) {")
	}
	for _, f := range s.fields {
		b.p("case %q:", f.key)
		g.read(b, f.t, "z."+f.name, s.depth+1, keyVar)
	}
	b.p("default:")
	if lim {
		b.p("l.skip(r, %d, key)", s.depth+1)
	} else {
		b.p("r.Skip()")
	}
	b.p("}\n}\n}\n")
}

// read writes statements decoding a value of t at depth into lhs.
func (g *gen) read(b *w, t *typ, lhs string, depth int, keyVar string) {
	switch t.kind {
	case kBasic:
		call := "r." + t.basic.read + "()"
		if t.basic.read == "Bytes" {
			call = "r.Bytes(" + lhs + ")"
		}
		if t.conv != "" {
			call = t.conv + "(" + call + ")"
		}
		b.p("%s = %s", lhs, call)
	case kStruct:
		if g.cfg.limiter != "" {
			b.p("%s.readMsg(r, l)", lhs)
		} else {
			b.p("%s.readMsg(r)", lhs)
		}
	case kPtr:
		b.p("if r.IsNil() {")
		b.p("r.Nil()")
		b.p("%s = nil", lhs)
		b.p("} else {")
		b.p("if %s == nil {", lhs)
		b.p("%s = new(%s)", lhs, t.elem.expr)
		b.p("}")
		g.read(b, t.elem, lhs, depth, keyVar)
		b.p("}")
	case kSlice:
		header := "r.ArrayHeader()"
		if g.cfg.limiter != "" {
			header = "l.array(r, " + strconv.Itoa(depth) + ", " + keyVar + ")"
		}
		if h := sliceHelper(t); h != "" {
			b.p("%s = r.%s(%s, %s)", lhs, h, lhs, header)
			return
		}
		i := b.fresh("i")
		b.p("%s = wire.Resize(%s, %s)", lhs, lhs, header)
		b.p("for %s := range %s {", i, lhs)
		g.read(b, t.elem, lhs+"["+i+"]", depth+1, keyVar)
		b.p("}")
	case kMap:
		// As msgp: a nil map is made, a used one cleared; each value is
		// decoded into a zero value of its own.
		n, k, v := b.fresh("n"), b.fresh("k"), b.fresh("v")
		b.p("%s := r.MapHeader()", n)
		b.p("if %s == nil {", lhs)
		b.p("%s = make(%s, %s)", lhs, t.expr, n)
		b.p("} else {")
		b.p("clear(%s)", lhs)
		b.p("}")
		b.p("for ; %s > 0; %s-- {", n, n)
		b.p("%s := r.String()", k)
		if t.elem.kind == kBasic && t.elem.basic.read != "Bytes" {
			g.read(b, t.elem, lhs+"["+k+"]", depth+1, keyVar)
		} else {
			b.p("var %s %s", v, t.elem.expr)
			g.read(b, t.elem, v, depth+1, keyVar)
			b.p("%s[%s] = %s", lhs, k, v)
		}
		b.p("}")
	}
}

func (g *gen) appendMethod(b *w, s *strct) {
	b.vars = 0
	b.p("// appendMsg appends z as (*%s).MarshalMsg does.", s.name)
	b.p("func (z *%s) appendMsg(b []byte) []byte {", s.name)
	if s.tuple {
		b.p("b = wire.AppendArrayHeader(b, %d)", len(s.fields))
		for _, f := range s.fields {
			g.append(b, f.t, "z."+f.name)
		}
		b.p("return b\n}\n")
		return
	}
	// A struct without omitempty fields has a fixed header, which is
	// appended with its first key, as msgp does.
	omit := slices.ContainsFunc(s.fields, func(f field) bool { return f.omitempty })
	switch {
	case len(s.fields) == 0 || !omit && len(s.fields) > 15:
		b.p("b = wire.AppendMapHeader(b, %d)", len(s.fields))
	case omit:
		b.p("n := uint32(%d)", len(s.fields))
		for _, f := range s.fields {
			if f.omitempty {
				b.p("if %s {", zeroTest(f.t, "z."+f.name, true))
				b.p("n--")
				b.p("}")
			}
		}
		b.p("b = wire.AppendMapHeader(b, n)")
	}
	for i, f := range s.fields {
		if f.omitempty {
			b.p("if %s {", zeroTest(f.t, "z."+f.name, false))
		}
		raw := keyBytes(f.key)
		if i == 0 && !omit && len(s.fields) <= 15 {
			raw = string([]byte{0x80 | byte(len(s.fields))}) + raw // the fixmap header
		}
		b.p("b = wire.AppendRaw(b, %q)", raw)
		g.append(b, f.t, "z."+f.name)
		if f.omitempty {
			b.p("}")
		}
	}
	b.p("return b\n}\n")
}

// sliceHelpers name core/wire's readers (Reader.Strings) and appenders
// (AppendStrings) of slices of a basic type, which generated code calls
// rather than repeat their loops.
var sliceHelpers = map[string]string{"string": "Strings", "float32": "Float32s", "uint16": "Uint16s", "int64": "Int64s"}

// sliceHelper returns the name of the helpers for a slice t, or "".
func sliceHelper(t *typ) string {
	if t.elem.kind != kBasic || t.elem.conv != "" {
		return ""
	}
	return sliceHelpers[t.elem.basic.goType]
}

// keyBytes is key encoded as a MessagePack str, as appendMsg appends it.
func keyBytes(key string) string {
	n := len(key)
	var hdr []byte
	switch {
	case n <= 31:
		hdr = []byte{0xa0 | byte(n)}
	case n <= 0xff:
		hdr = []byte{0xd9, byte(n)}
	case n <= 0xffff:
		hdr = []byte{0xda, byte(n >> 8), byte(n)}
	default:
		hdr = []byte{0xdb, byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
	}
	return string(hdr) + key
}

// zeroTest is msgp's omitempty test of expr (is zero), or its negation.
func zeroTest(t *typ, expr string, isZero bool) string {
	op := " != "
	if isZero {
		op = " == "
	}
	switch t.kind {
	case kBasic:
		if t.basic.zero == "false" {
			if isZero {
				return "!" + expr
			}
			return expr
		}
		return expr + op + t.basic.zero
	default: // slices, maps and pointers: nil, not empty
		return expr + op + "nil"
	}
}

// append writes statements appending expr, a value of t.
func (g *gen) append(b *w, t *typ, expr string) {
	switch t.kind {
	case kBasic:
		v := expr
		if t.basic.as != "" {
			v = t.basic.as + "(" + expr + ")"
		} else if t.conv != "" {
			v = t.basic.goType + "(" + expr + ")"
		}
		b.p("b = wire.%s(b, %s)", t.basic.append, v)
	case kStruct:
		b.p("b = %s.appendMsg(b)", expr)
	case kPtr:
		b.p("if %s == nil {", expr)
		b.p("b = wire.AppendNil(b)")
		b.p("} else {")
		b.p("b = %s.appendMsg(b)", expr)
		b.p("}")
	case kSlice:
		if h := sliceHelper(t); h != "" {
			b.p("b = wire.Append%s(b, %s)", h, expr)
			return
		}
		i := b.fresh("i")
		b.p("b = wire.AppendArrayHeader(b, uint32(len(%s)))", expr)
		b.p("for %s := range %s {", i, expr)
		g.append(b, t.elem, expr+"["+i+"]")
		b.p("}")
	case kMap:
		k, v := b.fresh("k"), b.fresh("v")
		b.p("b = wire.AppendMapHeader(b, uint32(len(%s)))", expr)
		b.p("for %s, %s := range %s {", k, v, expr)
		b.p("b = wire.AppendString(b, %s)", k)
		g.append(b, t.elem, v)
		b.p("}")
	}
}

func (g *gen) sizeMethod(b *w, s *strct) {
	b.vars = 0
	fixed := 5 // map or array header
	var body w
	for _, f := range s.fields {
		if !s.tuple {
			fixed += len(keyBytes(f.key))
		}
		fixed += g.size(&body, &b.vars, f.t, "z."+f.name)
	}
	b.p("// sizeHint is an upper bound of the size of z's encoding.")
	b.p("func (z *%s) sizeHint() int {", s.name)
	if body.Len() == 0 {
		b.p("return %d\n}\n", fixed)
		return
	}
	b.p("n := %d", fixed)
	b.Write(body.Bytes())
	b.p("return n\n}\n")
}

// size writes statements adding to n the variable part of expr's size, a
// value of t, and returns the fixed part.
func (g *gen) size(b *w, vars *int, t *typ, expr string) int {
	switch t.kind {
	case kBasic:
		if t.basic.size == 0 {
			b.p("n += len(%s)", expr)
			return 5
		}
		return t.basic.size
	case kStruct:
		b.p("n += %s.sizeHint()", expr)
		return 0
	case kPtr:
		b.p("if %s != nil {", expr)
		b.p("n += %s.sizeHint()", expr)
		b.p("}")
		return 1
	case kSlice:
		var inner w
		*vars++
		i := "i" + strconv.Itoa(*vars)
		each := g.size(&inner, vars, t.elem, expr+"["+i+"]")
		if inner.Len() == 0 {
			b.p("n += %d * len(%s)", each, expr)
			return 5
		}
		b.p("for %s := range %s {", i, expr)
		b.Write(inner.Bytes())
		if each != 0 {
			b.p("n += %d", each)
		}
		b.p("}")
		return 5
	case kMap:
		*vars++
		k, v := "k"+strconv.Itoa(*vars), "v"+strconv.Itoa(*vars)
		var inner w
		each := 5 + g.size(&inner, vars, t.elem, v)
		if inner.Len() == 0 {
			v = "_"
		}
		b.p("for %s, %s := range %s {", k, v, expr)
		b.p("n += %d + len(%s)", each, k)
		b.Write(inner.Bytes())
		b.p("}")
		return 5
	}
	return 0
}

// limitTable writes limitOf from the limit tags.
func (g *gen) limitTable(b *w) {
	b.p("// limitOf returns the limit of the array at depth under key in a %s,", g.cfg.root)
	b.p("// from the limit tags of %s, or limitNone.", g.pkg.file)
	b.p("func limitOf(depth int, key string) limit {")
	b.p("switch depth {")
	var depths []int
	for _, e := range g.limits {
		if !slices.Contains(depths, e.depth) {
			depths = append(depths, e.depth)
		}
	}
	slices.Sort(depths)
	for _, d := range depths {
		b.p("case %d:", d)
		b.p("switch key {")
		var order []string
		keys := map[string][]string{}
		for _, e := range g.limits {
			if e.depth != d {
				continue
			}
			if keys[e.limit] == nil {
				order = append(order, e.limit)
			}
			keys[e.limit] = append(keys[e.limit], strconv.Quote(e.key))
		}
		for _, lim := range order {
			b.p("case %s:", strings.Join(keys[lim], ", "))
			b.p("return limit%s", strings.ToUpper(lim[:1])+lim[1:])
		}
		b.p("}")
	}
	b.p("}")
	b.p("return limitNone")
	b.p("}")
}
