// Package shim is glue this repository adds to an extracted copy of terraform-provider-aws
// (npm run e2e copies it to upstream/shim before it builds the stand-in provider).
//
// Go does not let code outside a module import that module's internal/...
// packages. A Pulumi bridge program needs the upstream SDKv2 provider and the
// upstream Plugin Framework provider as values, and both constructors live
// under internal/provider. This package sits inside the upstream module tree
// (so it may import internal packages) and exposes a small exported surface.
//
// Written here for the real-engine run; it is not upstream code and not Pulumi's patch (whose text
// was not used).
package shim

import (
	"context"
	"fmt"

	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"

	"github.com/hashicorp/terraform-provider-aws/internal"
	"github.com/hashicorp/terraform-provider-aws/internal/conns"
	"github.com/hashicorp/terraform-provider-aws/internal/provider/framework"
	"github.com/hashicorp/terraform-provider-aws/internal/provider/sdkv2"
	"github.com/hashicorp/terraform-provider-aws/internal/tags"
)

// UpstreamProvider holds the two halves of the upstream provider. Upstream
// serves them muxed over tfprotov5; the Pulumi bridge muxes them itself.
type UpstreamProvider struct {
	SDKV2Provider           *schema.Provider
	PluginFrameworkProvider fwprovider.Provider
}

// NewUpstreamProvider builds both halves the way upstream's
// provider.ProtoV5ProviderServerFactory does, minus the tfprotov5 mux server.
func NewUpstreamProvider(ctx context.Context) (UpstreamProvider, error) {
	// Upstream registers its embedded error-message files before building
	// providers (see internal/provider/factory.go); do the same.
	internal.RegisterSmarterrFS()

	sdk, err := sdkv2.NewProvider(ctx)
	if err != nil {
		return UpstreamProvider{}, fmt.Errorf("creating SDKv2 provider: %w", err)
	}

	// The framework provider shares the SDKv2 provider's configured meta
	// (the *conns.AWSClient), so it is given the SDKv2 provider.
	fw, err := framework.NewProvider(ctx, sdk)
	if err != nil {
		return UpstreamProvider{}, fmt.Errorf("creating Plugin Framework provider: %w", err)
	}

	return UpstreamProvider{SDKV2Provider: sdk, PluginFrameworkProvider: fw}, nil
}

// TagConfig and TagIgnoreConfig re-export upstream's provider-level tag
// settings (default_tags / ignore_tags).
type (
	TagConfig       = tags.DefaultConfig
	TagIgnoreConfig = tags.IgnoreConfig
)

// NewTagConfig wraps any value accepted by upstream's tags.New (map[string]string,
// map[string]any, ...) into a TagConfig.
func NewTagConfig(ctx context.Context, v any) TagConfig {
	return TagConfig{Tags: tags.New(ctx, v)}
}

// AWSClient re-exports upstream's configured client type (the provider meta).
type AWSClient = conns.AWSClient

// GetAWSClient returns the configured upstream client from a provider meta
// value (what SDKv2 passes to CRUD functions after ConfigureContextFunc).
func GetAWSClient(meta any) (*AWSClient, error) {
	c, ok := meta.(*conns.AWSClient)
	if !ok || c == nil {
		return nil, fmt.Errorf("provider meta is %T, not a configured *conns.AWSClient", meta)
	}
	return c, nil
}
