package jsbridge

import (
	"go/build/constraint"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// jsTagProblem returns why a Go source file that imports syscall/js would
// break a native build, or "" when it is correctly tagged js && wasm (or
// does not import syscall/js at all).
func jsTagProblem(name string, src []byte) (string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ImportsOnly|parser.ParseComments)
	if err != nil {
		return "", err
	}
	imports := false
	for _, im := range f.Imports {
		if p, _ := strconv.Unquote(im.Path.Value); p == "syscall/js" {
			imports = true
		}
	}
	if !imports {
		return "", nil
	}
	var expr constraint.Expr
	for _, cg := range f.Comments {
		if cg.Pos() > f.Package {
			break
		}
		for _, c := range cg.List {
			if constraint.IsGoBuild(c.Text) {
				if expr, err = constraint.Parse(c.Text); err != nil {
					return "", err
				}
			}
		}
	}
	if expr == nil {
		return "imports syscall/js without a //go:build js && wasm line", nil
	}
	on := func(tags ...string) bool {
		return expr.Eval(func(tag string) bool {
			for _, t := range tags {
				if t == tag {
					return true
				}
			}
			return false
		})
	}
	if !on("js", "wasm") || on("js") || on("wasm") || on("linux", "amd64") || on("wasip1", "wasm") {
		return "imports syscall/js but its build line " + expr.String() + " is not js && wasm", nil
	}
	return "", nil
}

func TestJSTagCheck(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want bool // a problem is reported
	}{
		{"tagged", "//go:build js && wasm\n\npackage p\n\nimport \"syscall/js\"\n", false},
		{"untagged", "package p\n\nimport \"syscall/js\"\n", true},
		{"only js", "//go:build js\n\npackage p\n\nimport \"syscall/js\"\n", true},
		{"or instead of and", "//go:build js || wasm\n\npackage p\n\nimport \"syscall/js\"\n", true},
		{"no syscall/js", "package p\n\nimport \"fmt\"\n", false},
		{"tag after package", "package p\n\n//go:build js && wasm\n\nimport \"syscall/js\"\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := jsTagProblem("x.go", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if (got != "") != tt.want {
				t.Errorf("jsTagProblem(%q) = %q; want a problem: %v", tt.src, got, tt.want)
			}
		})
	}
}

// TestSyscallJSFilesAreTagged walks the module and fails on any .go file
// that imports syscall/js without //go:build js && wasm.
func TestSyscallJSFilesAreTagged(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "node_modules", ".git", "build", "testdata":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		problem, err := jsTagProblem(path, src)
		if err != nil {
			t.Errorf("%s does not parse: %v", path, err)
			return nil
		}
		checked++
		if problem != "" {
			rel, _ := filepath.Rel(root, path)
			t.Errorf("%s %s", rel, problem)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 5 {
		t.Fatalf("checked only %d Go files under %s; the walk is broken", checked, root)
	}
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
