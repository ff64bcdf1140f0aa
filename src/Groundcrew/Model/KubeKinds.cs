namespace Groundcrew.Model;

/// <summary>Facts about Kubernetes kinds the model needs: which are cluster-scoped, where each workload keeps its pod template.</summary>
public static class KubeKinds
{
    // Source: `kubectl api-resources --namespaced=false` on Kubernetes 1.32 (built-in kinds only).
    private static readonly HashSet<string> ClusterScoped = new(StringComparer.Ordinal)
    {
        "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "StorageClass", "CustomResourceDefinition",
        "PriorityClass", "IngressClass", "RuntimeClass", "CSIDriver", "CSINode", "VolumeAttachment", "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "APIService",
        "CertificateSigningRequest", "ComponentStatus", "FlowSchema", "PriorityLevelConfiguration", "ClusterIssuer",
    };

    public static bool IsClusterScoped(string kind) => ClusterScoped.Contains(kind);

    /// <summary>Kinds that run pods from a template at spec.template.</summary>
    public static readonly HashSet<string> TemplatedWorkloads = new(StringComparer.Ordinal)
    {
        "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "Rollout",
    };

    public static bool IsWorkload(string kind) => TemplatedWorkloads.Contains(kind) || kind is "Pod" or "CronJob";
}
