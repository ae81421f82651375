package main

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Module is what the report needs from a WebAssembly binary: the size of
// each section, and the body size and name of each defined function.
type Module struct {
	Sections  []Section
	Functions []Function // in code-section order
}

// Section is one top-level section (custom sections carry their name).
type Section struct {
	ID   byte
	Name string // "code", "data", ... or a custom section's own name
	Size int    // payload bytes, without the id and size prefix
}

// Function is one body in the code section, named from the "name" custom
// section when the binary has one ("" otherwise).
type Function struct {
	Name string
	Size int // body bytes, with its size prefix
}

var sectionNames = [...]string{"custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount"}

// Parse reads the sections of a WebAssembly 1.0 binary, counts the imported
// functions (the name section numbers them before the defined ones), and
// names each body of the code section.
func Parse(b []byte) (*Module, error) {
	if len(b) < 8 || string(b[:4]) != "\x00asm" || b[4] != 1 || b[5] != 0 || b[6] != 0 || b[7] != 0 {
		return nil, errors.New("sizereport: not a WebAssembly 1.0 binary")
	}
	m := &Module{}
	var imported int
	names := map[int]string{}
	r := &reader{b: b, i: 8}
	for r.i < len(b) {
		id := r.byte()
		size := int(r.uint())
		if r.err != nil || size > len(b)-r.i {
			return nil, fmt.Errorf("sizereport: section %d at offset %d overruns the file", id, r.i)
		}
		body := &reader{b: b[:r.i+size], i: r.i}
		s := Section{ID: id, Size: size}
		if int(id) < len(sectionNames) {
			s.Name = sectionNames[id]
		} else {
			s.Name = fmt.Sprintf("section %d", id)
		}
		switch id {
		case 0:
			s.Name = body.name()
			if s.Name == "name" {
				readNames(body, names)
			}
		case 2:
			imported = countImportedFuncs(body)
		case 10:
			for n := body.uint(); n > 0 && body.err == nil; n-- {
				start := body.i
				fsize := int(body.uint())
				body.skip(fsize)
				m.Functions = append(m.Functions, Function{Size: body.i - start})
			}
		}
		if body.err != nil {
			return nil, fmt.Errorf("sizereport: %s section: %w", s.Name, body.err)
		}
		m.Sections = append(m.Sections, s)
		r.i += size
	}
	for i := range m.Functions {
		m.Functions[i].Name = names[imported+i]
	}
	return m, nil
}

// countImportedFuncs walks the import section; only function imports take
// function indices.
func countImportedFuncs(r *reader) int {
	n := 0
	for count := r.uint(); count > 0 && r.err == nil; count-- {
		r.name()
		r.name()
		switch kind := r.byte(); kind {
		case 0: // function: type index
			r.uint()
			n++
		case 1: // table: reference type, limits
			r.byte()
			r.limits()
		case 2: // memory: limits
			r.limits()
		case 3: // global: value type, mutability
			r.byte()
			r.byte()
		default:
			r.err = fmt.Errorf("import kind %d", kind)
		}
	}
	return n
}

// readNames reads subsection 1 (function names) of the name section.
func readNames(r *reader, names map[int]string) {
	for r.i < len(r.b) && r.err == nil {
		id := r.byte()
		size := int(r.uint())
		end := r.i + size
		if id == 1 {
			for n := r.uint(); n > 0 && r.err == nil; n-- {
				idx := int(r.uint())
				names[idx] = r.name()
			}
		}
		r.i = end
	}
}

type reader struct {
	b   []byte
	i   int
	err error
}

func (r *reader) byte() byte {
	if r.err != nil || r.i >= len(r.b) {
		r.fail()
		return 0
	}
	r.i++
	return r.b[r.i-1]
}

func (r *reader) uint() uint64 {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		c := r.byte()
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
	}
	r.fail()
	return 0
}

func (r *reader) skip(n int) {
	if r.err != nil || n < 0 || n > len(r.b)-r.i {
		r.fail()
		return
	}
	r.i += n
}

func (r *reader) name() string {
	n := int(r.uint())
	start := r.i
	r.skip(n)
	if r.err != nil {
		return ""
	}
	return string(r.b[start:r.i])
}

func (r *reader) limits() {
	if r.byte()&1 != 0 {
		r.uint()
		r.uint()
		return
	}
	r.uint()
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = fmt.Errorf("truncated at offset %d", r.i)
	}
}

// Packages names the packages of a binary's function symbols. The Go
// linker writes symbols into the name section with every byte outside
// [A-Za-z0-9_.] replaced by '_' ("github.com_aws_smithy_go.__Request_.Build"),
// which leaves "github.com/x.y" and "github.com/x_y" ambiguous, so the
// import paths (from `go list -deps`) are matched, longest first.
type Packages struct {
	mangled []string // sorted longest first
	path    map[string]string
}

// NewPackages takes the import paths of every package in the build.
func NewPackages(paths []string) *Packages {
	p := &Packages{path: map[string]string{}}
	for _, path := range paths {
		m := Mangle(path)
		if _, dup := p.path[m]; !dup {
			p.mangled = append(p.mangled, m)
		}
		p.path[m] = path
	}
	sort.Slice(p.mangled, func(i, j int) bool { return len(p.mangled[i]) > len(p.mangled[j]) })
	return p
}

// Mangle rewrites an import path the way the linker writes symbol names.
func Mangle(path string) string {
	b := []byte(path)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.') {
			b[i] = '_'
		}
	}
	return string(b)
}

// Of returns the import path a function symbol belongs to, or a group in
// parentheses for what belongs to no package: the linker's type equality
// functions, the runtime's entry points.
func (p *Packages) Of(sym string) string {
	switch {
	case sym == "":
		return "(unnamed)"
	case strings.HasPrefix(sym, "type_."):
		return "(type equality)"
	case strings.HasPrefix(sym, "main."):
		return "main" // the command's package is "main" in symbols whatever its path
	}
	for _, m := range p.mangled {
		if len(sym) > len(m) && sym[len(m)] == '.' && strings.HasPrefix(sym, m) {
			return p.path[m]
		}
	}
	if i := strings.IndexByte(sym, '.'); i > 0 {
		return sym[:i] + " (not in the package list)"
	}
	return "(runtime glue)"
}

// Share is one package's (or group's) code bytes.
type Share struct {
	Name  string
	Bytes int
	Funcs int
}

// ByPackage sums function body sizes per package (grouped by group),
// biggest first.
func ByPackage(fs []Function, pkgs *Packages, group func(string) string) []Share {
	sum := map[string]*Share{}
	for _, f := range fs {
		k := group(pkgs.Of(f.Name))
		if sum[k] == nil {
			sum[k] = &Share{Name: k}
		}
		sum[k].Bytes += f.Size
		sum[k].Funcs++
	}
	out := make([]Share, 0, len(sum))
	for _, s := range sum {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Bytes != out[j].Bytes {
			return out[i].Bytes > out[j].Bytes
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Origin groups a package by where it comes from.
func Origin(pkg string) string {
	switch {
	case strings.HasPrefix(pkg, "github.com/aws/"):
		return "AWS SDK (aws-sdk-go-v2, smithy-go)"
	case strings.HasPrefix(pkg, "github.com/cognito-wasm/") || pkg == "main":
		return "cognito-wasm"
	case strings.HasPrefix(pkg, "("), pkg == "runtime", strings.HasPrefix(pkg, "runtime/"), strings.HasPrefix(pkg, "internal/runtime/"):
		return "Go runtime"
	case !strings.Contains(strings.SplitN(pkg, "/", 2)[0], "."):
		return "Go standard library"
	default:
		return "other modules"
	}
}
