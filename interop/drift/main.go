// Command drift prints, as JSON, every exported Error*, Disconnect* and UnsubscribeCode* value of
// the pinned centrifuge release (see go.mod), and the event codes of the pinned centrifuge-go
// (codes.go), read from the modules' own source files, so that
// `cargo xtask test` can compare them with codes.yaml. A value added upstream appears here
// without any change to this program.
//
// The values are read with go/parser rather than imported, because Go cannot enumerate a
// package's variables at run time; main_test.go checks the parsed values against the compiled
// package for every name it knows, so the parser cannot silently misread a declaration.
package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

const modulePath = "github.com/centrifugal/centrifuge"

// Value is one exported code of the library.
type Value struct {
	// Kind is "error", "disconnect" or "unsubscribe".
	Kind string `json:"kind"`
	// Name is the exported Go identifier (ErrorInternal, DisconnectShutdown, UnsubscribeCodeServer).
	Name string `json:"name"`
	Code uint32 `json:"code"`
	// Message is the error message or the disconnect/unsubscribe reason; empty when the library
	// defines none for the code.
	Message string `json:"message"`
	// Temporary is the error's Temporary flag (errors only).
	Temporary bool `json:"temporary"`
	// Reconnect is the documented client rule: for disconnects, reconnect on 3000-3499,
	// 4000-4499 and >= 5000; for unsubscribes, resubscribe on >= 2500 (errors: false).
	Reconnect bool `json:"reconnect"`
}

// Report is what the program prints.
type Report struct {
	Module  string  `json:"module"`
	Version string  `json:"version"`
	Values  []Value `json:"values"`
	// SDK holds centrifuge-go's own event codes (codes.go), read the same way.
	SDK SDKReport `json:"sdk"`
}

// SDKReport is the pinned centrifuge-go release and its event codes.
type SDKReport struct {
	Module  string    `json:"module"`
	Version string    `json:"version"`
	Codes   []SDKCode `json:"codes"`
}

// SDKCode is one uint32 constant of centrifuge-go's codes.go, e.g. connectingNoPing = 2: the
// event it belongs to (connecting, disconnected, subscribing, unsubscribed) and the name after
// the event prefix (NoPing).
type SDKCode struct {
	Event    string `json:"event"`
	Constant string `json:"constant"`
	Name     string `json:"name"`
	Code     uint32 `json:"code"`
}

const sdkModulePath = "github.com/centrifugal/centrifuge-go"

// sdkPrefixes maps a constant's prefix in codes.go to its event; the longest prefix wins.
var sdkPrefixes = []struct{ prefix, event string }{
	{"disconnected", "disconnected"},
	{"disconnect", "disconnected"},
	{"connecting", "connecting"},
	{"subscribing", "subscribing"},
	{"unsubscribed", "unsubscribed"},
}

func main() {
	report, err := read()
	if err != nil {
		fmt.Fprintln(os.Stderr, "drift:", err)
		os.Exit(1)
	}
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetIndent("", "  ")
	if err := encoder.Encode(report); err != nil {
		fmt.Fprintln(os.Stderr, "drift:", err)
		os.Exit(1)
	}
}

func read() (Report, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}} {{.Version}}", modulePath).Output()
	if err != nil {
		return Report{}, fmt.Errorf("go list -m %s: %w", modulePath, err)
	}
	fields := strings.Fields(string(out))
	if len(fields) != 2 {
		return Report{}, fmt.Errorf("go list -m %s printed %q", modulePath, out)
	}
	values, err := parseDir(fields[0])
	if err != nil {
		return Report{}, err
	}
	sdk, err := readSDK()
	if err != nil {
		return Report{}, err
	}
	return Report{Module: modulePath, Version: fields[1], Values: values, SDK: sdk}, nil
}

func readSDK() (SDKReport, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}} {{.Version}}", sdkModulePath).Output()
	if err != nil {
		return SDKReport{}, fmt.Errorf("go list -m %s: %w", sdkModulePath, err)
	}
	fields := strings.Fields(string(out))
	if len(fields) != 2 {
		return SDKReport{}, fmt.Errorf("go list -m %s printed %q", sdkModulePath, out)
	}
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(fields[0], "codes.go"), nil, 0)
	if err != nil {
		return SDKReport{}, err
	}
	report := SDKReport{Module: sdkModulePath, Version: fields[1]}
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.CONST {
			continue
		}
		for _, spec := range gen.Specs {
			vs := spec.(*ast.ValueSpec)
			if typ, ok := vs.Type.(*ast.Ident); !ok || typ.Name != "uint32" {
				continue
			}
			for i, ident := range vs.Names {
				literal, ok := vs.Values[i].(*ast.BasicLit)
				if !ok {
					return SDKReport{}, fmt.Errorf("%s is not a literal", ident.Name)
				}
				number, err := strconv.ParseUint(literal.Value, 0, 32)
				if err != nil {
					return SDKReport{}, err
				}
				for _, p := range sdkPrefixes {
					if rest, ok := strings.CutPrefix(ident.Name, p.prefix); ok && rest != "" && rest[0] >= 'A' && rest[0] <= 'Z' {
						report.Codes = append(report.Codes, SDKCode{Event: p.event, Constant: ident.Name, Name: rest, Code: uint32(number)})
						break
					}
				}
			}
		}
	}
	sort.Slice(report.Codes, func(i, j int) bool {
		if report.Codes[i].Event != report.Codes[j].Event {
			return report.Codes[i].Event < report.Codes[j].Event
		}
		return report.Codes[i].Code < report.Codes[j].Code
	})
	return report, nil
}

// parseDir reads every non-test Go file of the package in dir.
func parseDir(dir string) ([]Value, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var parsed []*ast.File
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			return nil, err
		}
		if f.Name.Name == "centrifuge" {
			parsed = append(parsed, f)
		}
	}
	return collect(parsed)
}

func collect(files []*ast.File) ([]Value, error) {
	constants := map[string]uint32{}
	var values []Value
	type literal struct {
		name string
		lit  *ast.CompositeLit
	}
	var literals []literal
	for _, f := range files {
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || (gen.Tok != token.VAR && gen.Tok != token.CONST) {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, ident := range vs.Names {
					if i >= len(vs.Values) {
						continue
					}
					expr := vs.Values[i]
					if unary, ok := expr.(*ast.UnaryExpr); ok && unary.Op == token.AND {
						expr = unary.X
					}
					switch value := expr.(type) {
					case *ast.BasicLit:
						if gen.Tok == token.CONST && value.Kind == token.INT {
							number, err := strconv.ParseUint(value.Value, 0, 32)
							if err != nil {
								return nil, err
							}
							constants[ident.Name] = uint32(number)
						}
					case *ast.CompositeLit:
						literals = append(literals, literal{ident.Name, value})
					}
				}
			}
		}
	}
	reasons := map[uint32]string{}
	for _, l := range literals {
		typeName, ok := l.lit.Type.(*ast.Ident)
		if !ok {
			continue
		}
		kind := map[string]string{"Error": "error", "Disconnect": "disconnect", "Unsubscribe": "unsubscribe"}[typeName.Name]
		if kind == "" {
			continue
		}
		value := Value{Kind: kind, Name: l.name}
		for _, element := range l.lit.Elts {
			kv, ok := element.(*ast.KeyValueExpr)
			if !ok {
				return nil, fmt.Errorf("%s: positional fields are not understood", l.name)
			}
			key := kv.Key.(*ast.Ident).Name
			switch key {
			case "Code":
				switch code := kv.Value.(type) {
				case *ast.BasicLit:
					number, err := strconv.ParseUint(code.Value, 0, 32)
					if err != nil {
						return nil, err
					}
					value.Code = uint32(number)
				case *ast.Ident:
					number, ok := constants[code.Name]
					if !ok {
						return nil, fmt.Errorf("%s: unknown constant %s", l.name, code.Name)
					}
					value.Code = number
				default:
					return nil, fmt.Errorf("%s: Code is not a literal or constant", l.name)
				}
			case "Message", "Reason":
				text, ok := kv.Value.(*ast.BasicLit)
				if !ok || text.Kind != token.STRING {
					return nil, fmt.Errorf("%s: %s is not a string literal", l.name, key)
				}
				unquoted, err := strconv.Unquote(text.Value)
				if err != nil {
					return nil, err
				}
				value.Message = unquoted
			case "Temporary":
				value.Temporary = kv.Value.(*ast.Ident).Name == "true"
			}
		}
		if kind == "unsubscribe" {
			// The library's unsubscribe values are unexported; their reasons name the exported codes.
			reasons[value.Code] = value.Message
			continue
		}
		if !ast.IsExported(l.name) || !strings.HasPrefix(l.name, typeName.Name) {
			continue
		}
		values = append(values, withRule(value))
	}
	for name, code := range constants {
		if strings.HasPrefix(name, "UnsubscribeCode") && ast.IsExported(name) {
			values = append(values, withRule(Value{Kind: "unsubscribe", Name: name, Code: code, Message: reasons[code]}))
		}
	}
	sort.Slice(values, func(i, j int) bool {
		if values[i].Kind != values[j].Kind {
			return values[i].Kind < values[j].Kind
		}
		return values[i].Code < values[j].Code
	})
	return values, nil
}

func withRule(value Value) Value {
	code := value.Code
	switch value.Kind {
	case "disconnect":
		value.Reconnect = (code >= 3000 && code < 3500) || (code >= 4000 && code < 4500) || code >= 5000
	case "unsubscribe":
		value.Reconnect = code >= 2500
	}
	return value
}
