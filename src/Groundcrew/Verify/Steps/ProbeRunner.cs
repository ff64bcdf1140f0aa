using Groundcrew.Verify.Flows;

namespace Groundcrew.Verify.Steps;

/// <summary>Runs one attempt of a non-HTTP step and returns its answer in the shape assertions read.</summary>
public interface IProbeRunner
{
    Task<(SentRequest Sent, HttpResponseData Answer)> RunAsync(ProbeSpec probe, Variables vars, TimeSpan timeout, CancellationToken ct);
}

/// <summary>Sends each kind to the code that speaks it. The CLI transports (aws, kubectl) come in through <see cref="ICliTransport"/>.</summary>
public sealed class ProbeRunner(ICliTransport cli, VerifyTools tools) : IProbeRunner
{
    public Task<(SentRequest Sent, HttpResponseData Answer)> RunAsync(ProbeSpec probe, Variables vars, TimeSpan timeout, CancellationToken ct) => probe switch
    {
        ExecSpec exec => ExecProbe.RunAsync(exec, vars, timeout, ct, tools.MaxOutputBytes),
        SqlSpec sql => SqlProbe.RunAsync(sql, vars, timeout, ct),
        AwsSpec aws => new AwsProbe(cli, tools.Aws).RunAsync(aws, vars, timeout, ct),
        KubeSpec kube => new KubeProbe(cli, tools.Kubectl).RunAsync(kube, vars, timeout, ct),
        _ => throw new FlowFileException($"unknown step kind '{probe.Kind}'"),
    };
}
