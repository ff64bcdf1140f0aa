namespace Groundcrew.Tests.Rules.References;

/// <summary>Small builders for the Kubernetes objects the reference-rule tests need.</summary>
internal static class K
{
    public static string Ns(string? ns) => ns == null ? "" : $"\n  namespace: {ns}";

    /// <summary>A Deployment whose single container has the given (already indented at 10 spaces) container fields and pod-spec fields.</summary>
    public static string Deployment(string name, string container = "", string pod = "", string? ns = null, string labels = "app: web",
        string templateAnnotations = "", string annotations = "", string kind = "Deployment", string apiVersion = "apps/v1") => $"""
apiVersion: {apiVersion}
kind: {kind}
metadata:
  name: {name}{Ns(ns)}{(annotations.Length > 0 ? "\n  annotations:\n    " + annotations : "")}
spec:
  template:
    metadata:
      labels:
        {labels}{(templateAnnotations.Length > 0 ? "\n      annotations:\n        " + templateAnnotations : "")}
    spec:{(pod.Length > 0 ? "\n      " + pod : "")}
      containers:
        - name: app
          image: example.com/app:1.0.0{(container.Length > 0 ? "\n          " + container : "")}

""";

    public static string SecretEnv(string secret, string key, bool optional = false) =>
        $"env:\n            - name: X\n              valueFrom:\n                secretKeyRef:\n                  name: {secret}\n                  key: {key}" + (optional ? "\n                  optional: true" : "");

    public static string ConfigMapEnv(string cm, string key) =>
        $"env:\n            - name: X\n              valueFrom:\n                configMapKeyRef:\n                  name: {cm}\n                  key: {key}";

    public static string EnvFrom(string kind, string name) =>
        $"envFrom:\n            - {(kind == "Secret" ? "secretRef" : "configMapRef")}:\n                name: {name}";

    public static string Secret(string name, string? ns = null, params string[] keys) =>
        $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}{Ns(ns)}\nstringData:\n" + string.Concat(keys.Select(k => $"  {k}: value-of-{k}\n"));

    public static string ConfigMap(string name, string? ns = null, params string[] keys) =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}{Ns(ns)}\ndata:\n" + string.Concat(keys.Select(k => $"  {k}: v\n"));

    public static string Docs(params string[] docs) => string.Join("\n---\n", docs);
}
