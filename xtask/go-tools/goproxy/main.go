// Command goproxy writes one version of a module into a file-system GOPROXY, the layout the Go
// command reads through GOPROXY=file:///path: <path>/@v/list, <version>.info, <version>.mod and
// <version>.zip, the zip made by golang.org/x/mod/zip (the same checks as the public proxy).
// Run by `cargo xtask test` to serve the generated Go module to a consumer at a tagged version.
//
// Usage: goproxy <module-dir> <module-path> <version> <proxy-dir>
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"
)

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: goproxy <module-dir> <module-path> <version> <proxy-dir>")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3], os.Args[4]); err != nil {
		fmt.Fprintln(os.Stderr, "goproxy:", err)
		os.Exit(1)
	}
}

func run(dir, path, version, proxy string) error {
	mod := module.Version{Path: path, Version: version}
	if err := module.Check(path, version); err != nil {
		return err
	}
	goMod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return err
	}
	parsed, err := modfile.Parse("go.mod", goMod, nil)
	if err != nil {
		return err
	}
	if parsed.Module == nil || parsed.Module.Mod.Path != path {
		return fmt.Errorf("%s/go.mod does not declare module %s", dir, path)
	}
	escaped, err := module.EscapePath(path)
	if err != nil {
		return err
	}
	versions := filepath.Join(proxy, filepath.FromSlash(escaped), "@v")
	if err := os.MkdirAll(versions, 0o755); err != nil {
		return err
	}
	out, err := os.Create(filepath.Join(versions, version+".zip"))
	if err != nil {
		return err
	}
	if err := zip.CreateFromDir(out, mod, dir); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	info := fmt.Sprintf("{\"Version\":%q,\"Time\":%q}\n", version, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339))
	files := map[string][]byte{
		"list":            []byte(version + "\n"),
		version + ".info": []byte(info),
		version + ".mod":  goMod,
	}
	for name, contents := range files {
		if err := os.WriteFile(filepath.Join(versions, name), contents, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("goproxy: %s@%s -> %s\n", path, version, versions)
	return nil
}
