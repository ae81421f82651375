package jsbridge

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// evalUses lists where src names JavaScript's code-from-string entry points
// ("Function", whose constructor compiles its last argument, and "eval") as
// a string, the way syscall/js reaches them: js.Global().Get("Function").
// A page whose Content-Security-Policy lacks 'unsafe-eval' refuses both, and
// the module would fail as it starts.
func evalUses(name string, src []byte) ([]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, 0)
	if err != nil {
		return nil, err
	}
	var uses []string
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil && (s == "Function" || s == "eval") {
				uses = append(uses, fset.Position(lit.Pos()).String()+" "+lit.Value)
			}
		}
		return true
	})
	return uses, nil
}

func TestEvalUsesCheck(t *testing.T) {
	bad := []byte("package p\nimport \"syscall/js\"\nvar f = js.Global().Get(\"Function\").New(\"return 1\")\n")
	if uses, err := evalUses("bad.go", bad); err != nil || len(uses) != 1 {
		t.Errorf("evalUses(new Function) = %v, %v; want one use", uses, err)
	}
	good := []byte("package p\nimport \"syscall/js\"\nvar f = js.Global().Get(\"Reflect\").Get(\"get\")\n")
	if uses, err := evalUses("good.go", good); err != nil || len(uses) != 0 {
		t.Errorf("evalUses(Reflect.get) = %v, %v; want none", uses, err)
	}
}

// TestShippedCodeEvaluatesNoJavaScript: the Go code built into the module
// (internal/jsbridge, wasm, signin, srp; tests aside) never builds a
// function from source.
func TestShippedCodeEvaluatesNoJavaScript(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, dir := range []string{"internal/jsbridge", "wasm", "signin", "srp"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			uses, err := evalUses(path, src)
			if err != nil {
				return err
			}
			checked++
			for _, u := range uses {
				t.Errorf("%s: JavaScript evaluated from a string; a CSP without 'unsafe-eval' refuses it", u)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if checked < 10 {
		t.Fatalf("checked only %d files; the walk is broken", checked)
	}
}
