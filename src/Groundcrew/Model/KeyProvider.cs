using Groundcrew.Core;

namespace Groundcrew.Model;

/// <summary>
/// What the model knows about a Secret or ConfigMap's keys, whoever provides it: the object itself,
/// or a controller that will create it (ExternalSecret, SealedSecret, cert-manager Certificate, Crossplane
/// writeConnectionSecretToRef, Secrets Store CSI secretObjects, Vault Secrets Operator, ACK FieldExport). Keys are null when they
/// cannot be known.
/// </summary>
public sealed record KeyProvider(Resource Source, HashSet<string>? Keys)
{
    /// <summary>The namespace the object is created in when it is not the source's own (Crossplane's writeConnectionSecretToRef.namespace).</summary>
    public string? Namespace { get; init; }

    // Annotations of replication controllers that copy keys into the object from another one
    // (https://github.com/mittwald/kubernetes-replicator, https://github.com/emberstack/kubernetes-reflector): keys unknown.
    private static readonly string[] ReplicatedFrom = ["replicator.v1.mittwald.de/replicate-from", "reflector.v1.k8s.emberstack.com/reflects"];

    // The token controller fills these into every kubernetes.io/service-account-token Secret
    // (https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets).
    private static readonly string[] ServiceAccountTokenKeys = ["token", "ca.crt", "namespace"];

    /// <summary>The objects <paramref name="r"/> provides (kind, name, keys); read for every resource of a scan, so nothing is allocated for the many that provide none.</summary>
    public static IReadOnlyList<(string Kind, string Name, KeyProvider Provider)> From(Resource r)
    {
        List<(string Kind, string Name, KeyProvider Provider)>? provided = null;
        void Provide(string kind, string name, KeyProvider provider) => (provided ??= []).Add((kind, name, provider));
        switch (r.Kind)
        {
            case "Secret":
            {
                var keys = IsReplicated(r) ? null : KeysOf(r.Body, "data", "stringData");
                if (keys != null && r.Body.GetString("type") == "kubernetes.io/service-account-token") keys.UnionWith(ServiceAccountTokenKeys);
                Provide("Secret", r.Name, new KeyProvider(r, keys));
                break;
            }
            case "ConfigMap":
                Provide("ConfigMap", r.Name, new KeyProvider(r, IsReplicated(r) ? null : KeysOf(r.Body, "data", "binaryData")));
                break;
            case "ExternalSecret" when r.ApiVersion?.StartsWith("external-secrets.io", StringComparison.Ordinal) == true:
            {
                // external-secrets.io: spec.target.name (default: the ExternalSecret's name); keys from spec.data[].secretKey,
                // unknown when dataFrom or a template is used, or when it merges into a Secret made elsewhere (creationPolicy Merge/None).
                var spec = r.Spec;
                var name = spec?.GetMap("target")?.GetString("name") ?? r.Name;
                HashSet<string>? keys = null;
                if (spec?["dataFrom"] == null && spec?.GetMap("target")?["template"] == null
                    && spec?.GetMap("target")?.GetString("creationPolicy") is null or "Owner" or "Orphan")
                    keys = (spec?.GetSeq("data")?.Maps ?? []).Select(m => m.GetString("secretKey")).OfType<string>().ToHashSet(StringComparer.Ordinal);
                Provide("Secret", name, new KeyProvider(r, keys));
                break;
            }
            case "SealedSecret":
            {
                var spec = r.Spec;
                var name = spec?.GetMap("template")?.GetMap("metadata")?.GetString("name") ?? r.Name;
                var keys = spec?.GetMap("encryptedData")?.Entries.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
                // spec.template.data holds keys kept in clear text beside the encrypted ones.
                keys?.UnionWith(KeysOf(spec?.GetMap("template") ?? new MapNode(), "data"));
                Provide("Secret", name, new KeyProvider(r, keys));
                break;
            }
            case "Certificate" when r.ApiVersion?.StartsWith("cert-manager.io/", StringComparison.Ordinal) == true:
            {
                // cert-manager writes tls.crt, tls.key and (for most issuers) ca.crt into spec.secretName; keystores and
                // additionalOutputFormats add more (https://cert-manager.io/docs/usage/certificate/).
                var spec = r.Spec;
                if (spec?.GetString("secretName") is not { Length: > 0 } name) break;
                HashSet<string>? keys = spec["keystores"] == null && spec["additionalOutputFormats"] == null
                    ? new HashSet<string>(["tls.crt", "tls.key", "ca.crt"], StringComparer.Ordinal) : null;
                Provide("Secret", name, new KeyProvider(r, keys));
                break;
            }
            case "SecretProviderClass" when r.ApiVersion?.StartsWith("secrets-store.csi.x-k8s.io/", StringComparison.Ordinal) == true:
                // The Secrets Store CSI driver syncs spec.secretObjects[] into Secrets (https://secrets-store-csi-driver.sigs.k8s.io/topics/sync-as-kubernetes-secret).
                foreach (var so in r.Spec?.GetSeq("secretObjects")?.Maps ?? [])
                    if (so.GetString("secretName") is { Length: > 0 } soName)
                        Provide("Secret", soName, new KeyProvider(r, (so.GetSeq("data")?.Maps ?? []).Select(d => d.GetString("key")).OfType<string>().ToHashSet(StringComparer.Ordinal)));
                break;
            case "VaultStaticSecret" or "VaultDynamicSecret" or "VaultPKISecret" or "HCPVaultSecretsApp" when r.ApiVersion?.StartsWith("secrets.hashicorp.com/", StringComparison.Ordinal) == true:
                // Vault Secrets Operator writes spec.destination.name (https://developer.hashicorp.com/vault/docs/platform/k8s/vso/api-reference).
                if (r.Spec?.GetMap("destination")?.GetString("name") is { Length: > 0 } vsoName)
                    Provide("Secret", vsoName, new KeyProvider(r, null));
                break;
            case "FieldExport" when r.ApiVersion?.StartsWith("services.k8s.aws/", StringComparison.Ordinal) == true:
            {
                // AWS Controllers for Kubernetes copy a field of an AWS resource into spec.to (a ConfigMap or Secret); several
                // FieldExports may fill one object, so its keys are unknown (https://aws-controllers-k8s.github.io/community/docs/user-docs/field-export/).
                var to = r.Spec?.GetMap("to");
                var toKind = to?.GetString("kind")?.ToLowerInvariant() switch { "configmap" => "ConfigMap", "secret" => "Secret", _ => null };
                if (toKind != null && to!.GetString("name") is { Length: > 0 } toName)
                    Provide(toKind, toName, new KeyProvider(r, null) { Namespace = to.GetString("namespace") is { Length: > 0 } tns ? tns : null });
                break;
            }
        }
        // Crossplane managed resources and claims write connection details to spec.writeConnectionSecretToRef
        // (https://docs.crossplane.io/latest/concepts/managed-resources/#writeconnectionsecrettoref).
        if (r.Spec?.GetMap("writeConnectionSecretToRef") is { } wcs && wcs.GetString("name") is { Length: > 0 } wcsName)
            Provide("Secret", wcsName, new KeyProvider(r, null) { Namespace = wcs.GetString("namespace") is { Length: > 0 } wns ? wns : null });
        return (IReadOnlyList<(string, string, KeyProvider)>?)provided ?? [];
    }

    private static bool IsReplicated(Resource r)
    {
        foreach (var annotation in ReplicatedFrom)
            if (r.Annotations.ContainsKey(annotation)) return true;
        return false;
    }

    private static HashSet<string> KeysOf(MapNode body, params string[] sections)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in sections)
            foreach (var e in body.GetMap(s)?.Entries ?? [])
                if (e.Name != null) keys.Add(e.Name);
        return keys;
    }
}
