package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"unicode"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
)

// GeneratePackage writes a TypeScript SDK for a package schema into req.Directory. It is what
// `pulumi package add <folder>` asks of the host of the consuming project (and `pulumi package gen-sdk
// --language nodejs`). The SDK itself is produced by the Node.js code generator of the pkg/v3 module
// (pkg/codegen/nodejs, GeneratePackage); schemas the package refers to are loaded through the engine's loader
// service at req.LoaderTarget (pkg/codegen/schema, LoaderClient).
func (h *host) GeneratePackage(ctx context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	client, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer client.Close()
	loader := schema.NewCachedLoader(client)

	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.GetSchema()), &spec); err != nil {
		return nil, fmt.Errorf("invalid package schema: %w", err)
	}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
	}

	files, err := nodejs.GeneratePackage("pulumi-language-nodejs", pkg, req.GetExtraFiles(),
		req.GetLocalDependencies(), req.GetLocal(), loader)
	if err != nil {
		return nil, err
	}
	for name, content := range files {
		path := filepath.Join(req.GetDirectory(), name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil { //nolint:gosec // SDK sources are not secret
			return nil, err
		}
	}
	return &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
}

// Link adds generated SDK folders to the program's package.json as "file:" dependencies, so that the engine's
// following InstallDependencies call installs them. A local SDK compiles itself in an npm "postinstall" script, so
// its spec is also added to package.json "allowScripts" (npm 11.16+ warns about, and npm 12 skips, install scripts
// of packages not listed there: https://docs.npmjs.com/cli/configuring-npm/package-json#allowscripts).
// It returns the import lines to show the user.
func (h *host) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	manifest := filepath.Join(dir, "package.json")

	var current struct {
		AllowScripts map[string]any `json:"allowScripts"`
	}
	if b, err := os.ReadFile(manifest); err != nil {
		return nil, fmt.Errorf("could not read %s: %w", manifest, err)
	} else if err := json.Unmarshal(b, &current); err != nil {
		return nil, fmt.Errorf("could not parse %s: %w", manifest, err)
	}
	allowScripts := current.AllowScripts
	if allowScripts == nil {
		allowScripts = map[string]any{}
	}

	var imports strings.Builder
	for _, dep := range req.GetPackages() {
		sdkDir := dep.GetPath()
		if !filepath.IsAbs(sdkDir) {
			sdkDir = filepath.Join(dir, sdkDir)
		}
		// The npm name is the one the code generator wrote into the SDK's package.json.
		sdk, err := readPackageJSON(filepath.Join(sdkDir, "package.json"))
		if err != nil {
			return nil, fmt.Errorf("the SDK to link has no readable package.json: %w", err)
		}
		rel, err := filepath.Rel(dir, sdkDir)
		if err != nil {
			return nil, err
		}
		spec := "file:" + filepath.ToSlash(rel)
		// `npm pkg set` edits package.json in place and keeps its formatting.
		if err := npmPkgSet(ctx, dir, "dependencies."+sdk.Name+"="+spec); err != nil {
			return nil, err
		}
		allowScripts[spec] = true
		fmt.Fprintf(&imports, "  import * as %s from %q;\n", camelCase(dep.GetPackage().GetName()), sdk.Name)
	}
	b, err := json.Marshal(allowScripts)
	if err != nil {
		return nil, err
	}
	if err := npmPkgSet(ctx, dir, "--json", "allowScripts="+string(b)); err != nil {
		return nil, err
	}
	return &pulumirpc.LinkResponse{
		ImportInstructions: "You can import the SDK in your TypeScript code with:\n\n" + imports.String(),
	}, nil
}

func npmPkgSet(ctx context.Context, dir string, args ...string) error {
	cmd := exec.CommandContext(ctx, "npm", append([]string{"pkg", "set"}, args...)...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("npm pkg set %s: %w: %s", strings.Join(args, " "), err, out)
	}
	return nil
}

// camelCase turns a package name such as "aligo-sms" into an identifier such as "aligoSms".
func camelCase(name string) string {
	var b strings.Builder
	upper := false
	for _, r := range name {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			upper = b.Len() > 0
		case upper:
			b.WriteRune(unicode.ToUpper(r))
			upper = false
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
