package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// packageJSON holds the fields of an npm package.json that this host reads.
type packageJSON struct {
	Name            string            `json:"name"`
	Version         string            `json:"version"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	// Pulumi SDK packages of resource providers carry a "pulumi" section, e.g.
	// {"resource": true, "name": "aws", "version": "7.48.0"}; "server" is an optional download URL and
	// "parameterization" describes a parameterized package ({"name", "version", "value": base64}).
	Pulumi struct {
		Resource         bool   `json:"resource"`
		Name             string `json:"name"`
		Version          string `json:"version"`
		Server           string `json:"server"`
		Parameterization *struct {
			Name    string `json:"name"`
			Version string `json:"version"`
			Value   []byte `json:"value"`
		} `json:"parameterization"`
	} `json:"pulumi"`
}

func readPackageJSON(path string) (*packageJSON, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p packageJSON
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &p, nil
}

// findPulumiPackages walks dir and every folder below it (following symbolic links once, as pnpm links packages),
// and returns one PackageDependency per package.json found inside a node_modules folder whose "pulumi" section says
// "resource": true. The engine then loads the plugin pulumi-resource-<name> of that version. Policy packs (folders
// with PulumiPolicy.yaml) are skipped: their plugins are not the program's.
func findPulumiPackages(dir string) []*pulumirpc.PackageDependency {
	var found []*pulumirpc.PackageDependency
	seen := map[string]bool{}    // name@version[@parameterization] already reported
	visited := map[string]bool{} // real paths of folders already walked

	var walk func(dir string, inNodeModules bool)
	walk = func(dir string, inNodeModules bool) {
		real, err := filepath.EvalSymlinks(dir)
		if err != nil || visited[real] {
			return
		}
		visited[real] = true
		if _, err := os.Stat(filepath.Join(dir, "PulumiPolicy.yaml")); err == nil {
			return
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		below := inNodeModules || filepath.Base(dir) == "node_modules"
		for _, e := range entries {
			path := filepath.Join(dir, e.Name())
			isDir := e.IsDir()
			if e.Type()&os.ModeSymlink != 0 {
				if fi, err := os.Stat(path); err == nil {
					isDir = fi.IsDir()
				}
			}
			switch {
			case isDir && e.Name() != ".git":
				walk(path, below)
			case inNodeModules && e.Name() == "package.json":
				if dep := pulumiPackage(path); dep != nil {
					key := dep.Name + "@" + dep.Version
					if dep.Parameterization != nil {
						key += "@" + dep.Parameterization.Name + "@" + dep.Parameterization.Version
					}
					if !seen[key] {
						seen[key] = true
						found = append(found, dep)
					}
				}
			}
		}
	}
	walk(dir, false)
	return found
}

// pulumiPackage reads one package.json and returns the resource package it stands for, or nil.
func pulumiPackage(path string) *pulumirpc.PackageDependency {
	p, err := readPackageJSON(path)
	if err != nil || !p.Pulumi.Resource {
		return nil
	}
	// The plugin name is "pulumi.name", else the npm name without its "@pulumi/" scope. Third-party packages must
	// set pulumi.name.
	name := p.Pulumi.Name
	if name == "" {
		var ok bool
		if name, ok = strings.CutPrefix(p.Name, "@pulumi/"); !ok {
			fmt.Fprintf(os.Stderr, "warning: %s: a third-party Pulumi package must set pulumi.name\n", path)
			return nil
		}
	}
	// The version is "pulumi.version", else the npm version, written with a leading "v".
	version := p.Pulumi.Version
	if version == "" {
		version = p.Version
	}
	if version == "" {
		return nil
	}
	if !strings.HasPrefix(version, "v") {
		version = "v" + version
	}
	dep := &pulumirpc.PackageDependency{Name: name, Kind: "resource", Version: version, Server: p.Pulumi.Server}
	if pp := p.Pulumi.Parameterization; pp != nil {
		dep.Parameterization = &pulumirpc.PackageParameterization{
			Name: pp.Name, Version: pp.Version, Value: pp.Value,
		}
	}
	return dep
}

// listDependencies returns the npm packages of the program in dir. Without transitive: the dependencies and
// devDependencies of its package.json, each with the version installed in the nearest node_modules (or the
// requested range when it is not installed). With transitive: every package installed below dir/node_modules.
func listDependencies(dir string, transitive bool) ([]*pulumirpc.DependencyInfo, error) {
	var deps []*pulumirpc.DependencyInfo
	if transitive {
		seen := map[string]bool{}
		var walk func(nodeModules string)
		walk = func(nodeModules string) {
			entries, err := os.ReadDir(nodeModules)
			if err != nil {
				return
			}
			for _, e := range entries {
				pkgDirs := []string{filepath.Join(nodeModules, e.Name())}
				if strings.HasPrefix(e.Name(), "@") { // a scope folder holds the packages
					pkgDirs = nil
					if sub, err := os.ReadDir(filepath.Join(nodeModules, e.Name())); err == nil {
						for _, s := range sub {
							pkgDirs = append(pkgDirs, filepath.Join(nodeModules, e.Name(), s.Name()))
						}
					}
				}
				for _, pd := range pkgDirs {
					if p, err := readPackageJSON(filepath.Join(pd, "package.json")); err == nil && p.Name != "" {
						if key := p.Name + "@" + p.Version; !seen[key] {
							seen[key] = true
							deps = append(deps, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
						}
					}
					walk(filepath.Join(pd, "node_modules"))
				}
			}
		}
		walk(filepath.Join(dir, "node_modules"))
	} else {
		p, err := readPackageJSON(filepath.Join(dir, "package.json"))
		if err != nil {
			return nil, fmt.Errorf("could not read the program's package.json: %w", err)
		}
		for _, m := range []map[string]string{p.Dependencies, p.DevDependencies} {
			for name, wanted := range m {
				deps = append(deps, &pulumirpc.DependencyInfo{Name: name, Version: installedVersion(dir, name, wanted)})
			}
		}
	}
	sort.Slice(deps, func(i, j int) bool {
		if deps[i].Name != deps[j].Name {
			return deps[i].Name < deps[j].Name
		}
		return deps[i].Version < deps[j].Version
	})
	return deps, nil
}

// installedVersion looks for node_modules/<name>/package.json in dir and its parents, as node's resolver does.
func installedVersion(dir, name, fallback string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if p, err := readPackageJSON(filepath.Join(d, "node_modules", name, "package.json")); err == nil {
			return p.Version
		}
		if filepath.Dir(d) == d {
			return fallback
		}
	}
}
