package serve

// The layout of Hearth's served files: what the asset pipeline (build/assets)
// writes and what sites, the demo and the Worker serve. Declared here, in the
// package every host imports, so web never needs build to know a file name.

// Dir is the folder of the built files, and the URL path prefix sites serve
// them under (/hearth/).
const Dir = "hearth"

// Names of the built files inside Dir.
const (
	Loader    = "hearth.js"
	Worker    = "hearth-worker.js"
	WasmExec  = "wasm_exec.js"
	Wasm      = "hearth.wasm"
	Catalogue = "catalogue.msgpack"
)
