// Generic glue between the upstream AWS provider (reached through the
// upstream/shim package this repository adds, e2e/provider/shim) and the Pulumi Terraform bridge. Nothing
// in this file is specific to the resources mapped in mapping.go.
package mapping

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/hashicorp/terraform-provider-aws/shim"
	pftfbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfgen"
	shimschema "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/x/muxer"
	"github.com/pulumi/pulumi-terraform-bridge/v3/unstable/metadata"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
)

// MuxedUpstream builds the upstream SDKv2 + Plugin Framework providers and
// joins them into the single shim.Provider the bridge's muxer expects.
func MuxedUpstream(ctx context.Context) (shimschema.Provider, error) {
	up, err := shim.NewUpstreamProvider(ctx)
	if err != nil {
		return nil, err
	}
	return pftfbridge.MuxShimWithPF(ctx, shimv2.NewProvider(up.SDKV2Provider), up.PluginFrameworkProvider), nil
}

// IgnoreUnmapped lists every upstream resource and data source that the
// mapping does not name in info.IgnoreMappings. The bridge's schema
// generator otherwise fails with one "TF resource ... not mapped to the
// Pulumi provider" error per unmapped name (~1660 for this upstream).
func IgnoreUnmapped(info *tfbridge.ProviderInfo) {
	info.P.ResourcesMap().Range(func(name string, _ shimschema.Resource) bool {
		if _, ok := info.Resources[name]; !ok {
			info.IgnoreMappings = append(info.IgnoreMappings, name)
		}
		return true
	})
	info.P.DataSourcesMap().Range(func(name string, _ shimschema.Resource) bool {
		if _, ok := info.DataSources[name]; !ok {
			info.IgnoreMappings = append(info.IgnoreMappings, name)
		}
		return true
	})
	sort.Strings(info.IgnoreMappings)
}

// DropUnbacked deletes mapping entries whose Terraform name exists in
// neither upstream provider. Without this, the bridge's mux dispatch fails
// ("Resources without backing provider") and MainWithMuxer panics at
// start-up. Returns what was dropped (nothing, for the mapping in this
// package; kept as a guard).
func DropUnbacked(info *tfbridge.ProviderInfo) []string {
	var dropped []string
	for name := range info.Resources {
		if _, ok := info.P.ResourcesMap().GetOk(name); !ok {
			delete(info.Resources, name)
			dropped = append(dropped, "resource "+name)
		}
	}
	for name := range info.DataSources {
		if _, ok := info.P.DataSourcesMap().GetOk(name); !ok {
			delete(info.DataSources, name)
			dropped = append(dropped, "data source "+name)
		}
	}
	sort.Strings(dropped)
	return dropped
}

// dispatchResolver is the exported method of the bridge's (internal) muxed
// shim type that assigns each mapped token to the SDKv2 or the PF provider.
type dispatchResolver interface {
	ResolveDispatch(info *tfbridge.ProviderInfo) (muxer.DispatchTable, error)
}

// EnsureMuxDispatch stores the "mux" dispatch table in the provider metadata
// when it is absent. A bridged provider normally ships it precomputed in
// bridge-metadata.json (written by its tfgen run); a mapping built at
// runtime has to compute it.
func EnsureMuxDispatch(info *tfbridge.ProviderInfo) error {
	if _, found, err := metadata.Get[muxer.DispatchTable](info.GetMetadata(), "mux"); err != nil || found {
		return err
	}
	r, ok := info.P.(dispatchResolver)
	if !ok {
		return fmt.Errorf("ProviderInfo.P (%T) is not a muxed provider", info.P)
	}
	table, err := r.ResolveDispatch(info)
	if err != nil {
		return err
	}
	return metadata.Set(info.GetMetadata(), "mux", table)
}

// Schema generates the Pulumi package schema for info with the bridge's
// tfgen code, using only the descriptions found in the Terraform schema
// (no markdown docs, no example conversion), and returns it as JSON.
func Schema(info tfbridge.ProviderInfo) ([]byte, error) {
	sink := diag.DefaultSink(io.Discard, os.Stderr, diag.FormatOptions{Color: colors.Never})
	res, err := tfgen.GenerateSchemaWithOptions(tfgen.GenerateSchemaOptions{
		ProviderInfo:    info,
		DiagnosticsSink: sink,
		XInMemoryDocs:   true,
	})
	if err != nil {
		return nil, err
	}
	return json.Marshal(res.PackageSpec)
}
