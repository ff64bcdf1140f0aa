namespace Groundcrew.Diagnose.Input;

/// <summary>What an input turned out to be, decided from its content (never from its name).</summary>
public enum InputKind
{
    PlainText,
    KubectlDescribe,
    KubernetesJson,
    EcsTasksJson,
    EcsServicesJson,
    CloudWatchJson,
    OtherJson,
    KubernetesYaml,
}
