// Package sample declares wire types that use every feature leangen
// supports, so that its output is held to msgp's on each of them
// (sample_test.go), not only on those Hearth's own types use today.
package sample

//go:generate go tool msgp -io=false -file sample.go -o sample_gen.go
//go:generate go run .. -o sample_lean_gen.go sample.go

// Kind and Name are named basic types.
type (
	Kind uint8
	Name string
)

// All has a field of every supported type.
type All struct {
	B      bool              `msg:"b"`
	S      string            `msg:"s"`
	Bin    []byte            `msg:"bin"`
	I      int               `msg:"i"`
	I64    int64             `msg:"i64"`
	U8     uint8             `msg:"u8"`
	U16    uint16            `msg:"u16"`
	U32    uint32            `msg:"u32"`
	U64    uint64            `msg:"u64"`
	F32    float32           `msg:"f32"`
	F64    float64           `msg:"f64"`
	K      Kind              `msg:"k"`
	N      Name              `msg:"n"`
	Strs   []string          `msg:"strs"`
	F32s   []float32         `msg:"f32s"`
	U16s   []uint16          `msg:"u16s"`
	I64s   []int64           `msg:"i64s"`
	Kinds  []Kind            `msg:"kinds"`
	Bins   [][]byte          `msg:"bins"`
	Grid   [][]float64       `msg:"grid"`
	M      map[string]uint32 `msg:"m"`
	Pairs  map[string]Pair   `msg:"pairs"`
	P      *Opt              `msg:"p"`
	Ps     []*Opt            `msg:"ps"`
	Pair   Pair              `msg:"pair"`
	List   []Pair            `msg:"list"`
	Opt    Opt               `msg:"opt"`
	NoTag  int
	Ignore int    `msg:"-"`
	Long   string `msg:"a_key_longer_than_thirty_one_bytes"`
}

// Pair is a tuple: an array of its fields.
type Pair struct {
	A string  `msg:"a"`
	B float32 `msg:"b"`
}

//msgp:tuple Pair

// Opt has only omitempty fields.
type Opt struct {
	B   bool             `msg:"b,omitempty"`
	S   string           `msg:"s,omitempty"`
	Bin []byte           `msg:"bin,omitempty"`
	I   int              `msg:"i,omitempty"`
	U64 uint64           `msg:"u64,omitempty"`
	F32 float32          `msg:"f32,omitempty"`
	F64 float64          `msg:"f64,omitempty"`
	K   Kind             `msg:"k,omitempty"`
	N   Name             `msg:"n,omitempty"`
	Ss  []string         `msg:"ss,omitempty"`
	M   map[string]int64 `msg:"m,omitempty"`
	P   *Opt             `msg:"p,omitempty"`
}

// Wide has more than 15 fields, some omitempty: a map16 header.
type Wide struct {
	F0  int `msg:"f0"`
	F1  int `msg:"f1,omitempty"`
	F2  int `msg:"f2"`
	F3  int `msg:"f3"`
	F4  int `msg:"f4"`
	F5  int `msg:"f5"`
	F6  int `msg:"f6"`
	F7  int `msg:"f7"`
	F8  int `msg:"f8"`
	F9  int `msg:"f9"`
	F10 int `msg:"f10"`
	F11 int `msg:"f11"`
	F12 int `msg:"f12"`
	F13 int `msg:"f13"`
	F14 int `msg:"f14"`
	F15 int `msg:"f15,omitempty"`
}

// Fixed has more than 15 fields, none omitempty.
type Fixed struct {
	F0, F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, F13, F14, F15 bool
}

// Empty has no fields.
type Empty struct{}
