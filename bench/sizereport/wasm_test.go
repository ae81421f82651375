package main

import (
	"testing"
)

func leb(n int) []byte {
	var b []byte
	for {
		c := byte(n & 0x7f)
		n >>= 7
		if n == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func str(s string) []byte { return append(leb(len(s)), s...) }

func section(id byte, body []byte) []byte {
	return append(append([]byte{id}, leb(len(body))...), body...)
}

// module builds a small binary by hand: two imported functions (which
// take the first function indices), a memory import, three bodies and a
// name section naming them as the Go linker would.
func module() []byte {
	b := []byte("\x00asm\x01\x00\x00\x00")
	imports := leb(3)
	imports = append(append(append(imports, str("go")...), str("debug")...), 0, 0)
	imports = append(append(append(imports, str("go")...), str("mem")...), 2, 1, 1, 2)
	imports = append(append(append(imports, str("gojs")...), str("runtime.wasmExit")...), 0, 0)
	b = append(b, section(2, imports)...)
	code := leb(3)
	for _, size := range []int{3, 200, 1000} {
		code = append(append(code, leb(size)...), make([]byte, size)...)
	}
	b = append(b, section(10, code)...)
	names := leb(3)
	for i, n := range []string{
		"github.com_aws_smithy_go_transport_http.__Request_.Build",
		"net_http.Header.Write",
		"github.com_aws_smithy_go.OperationError.Error",
	} {
		names = append(append(names, leb(2+i)...), str(n)...)
	}
	custom := append(str("name"), section(1, names)...)
	b = append(b, section(0, custom)...)
	return b
}

func TestParse(t *testing.T) {
	m, err := Parse(module())
	if err != nil {
		t.Fatal(err)
	}
	want := []Function{
		{"github.com_aws_smithy_go_transport_http.__Request_.Build", 4},
		{"net_http.Header.Write", 202},
		{"github.com_aws_smithy_go.OperationError.Error", 1002},
	}
	if len(m.Functions) != len(want) {
		t.Fatalf("Parse found %d functions; want %d", len(m.Functions), len(want))
	}
	for i, f := range m.Functions {
		if f != want[i] {
			t.Errorf("function %d = %+v; want %+v", i, f, want[i])
		}
	}
	if len(m.Sections) != 3 || m.Sections[1].Name != "code" || m.Sections[2].Name != "name" {
		t.Errorf("sections = %+v; want import, code, name", m.Sections)
	}
}

func TestParseRejectsTruncated(t *testing.T) {
	b := module()
	for _, n := range []int{0, 7, 12, len(b) - 3} {
		if _, err := Parse(b[:n]); err == nil {
			t.Errorf("Parse(first %d bytes) = nil error; want one", n)
		}
	}
}

func TestPackagesOf(t *testing.T) {
	pkgs := NewPackages([]string{"github.com/aws/smithy-go", "github.com/aws/smithy-go/transport/http", "net/http", "net", "sync/atomic"})
	for _, tc := range []struct{ sym, want string }{
		{"github.com_aws_smithy_go_transport_http.__Request_.Build", "github.com/aws/smithy-go/transport/http"},
		{"github.com_aws_smithy_go.OperationError.Error", "github.com/aws/smithy-go"},
		{"net_http.Header.Write", "net/http"},
		{"net.__UnixConn_.Close", "net"},
		{"sync_atomic.__Pointer_go.shape.struct_.Load", "sync/atomic"},
		{"main.register", "main"},
		{"type_.eq.net_http.Cookie", "(type equality)"},
		{"wasm_export_run", "(runtime glue)"},
		{"strings.Cut", "strings (not in the package list)"},
	} {
		if got := pkgs.Of(tc.sym); got != tc.want {
			t.Errorf("Of(%q) = %q; want %q", tc.sym, got, tc.want)
		}
	}
}

func TestByPackage(t *testing.T) {
	m, err := Parse(module())
	if err != nil {
		t.Fatal(err)
	}
	pkgs := NewPackages([]string{"github.com/aws/smithy-go", "github.com/aws/smithy-go/transport/http", "net/http"})
	got := ByPackage(m.Functions, pkgs, Origin)
	want := []Share{{"AWS SDK (aws-sdk-go-v2, smithy-go)", 1006, 2}, {"Go standard library", 202, 1}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("ByPackage = %+v; want %+v", got, want)
	}
}
