using System.Globalization;
using Groundcrew.Verify.Flows;

namespace Groundcrew.Verify.Steps;

/// <summary>
/// `kube`: `kubectl get -o json` (fields asserted with `json`), `kubectl logs` since the flow started (lines
/// asserted with `stdout`), `kubectl exec` (exit code and output). kubectl is the transport: it brings the
/// user's kubeconfig, contexts and EKS authentication exactly as they are.
/// </summary>
public sealed class KubeProbe(ICliTransport cli, string kubectl)
{
    public async Task<(SentRequest, HttpResponseData)> RunAsync(KubeSpec spec, Variables vars, TimeSpan timeout, CancellationToken ct)
    {
        var args = Arguments(spec, vars);
        var shown = CommandLine.Show("kubectl", args);
        var outcome = await cli.RunAsync(kubectl, args, timeout, ct);
        if (!outcome.Started) throw new StepFailure($"{outcome.StartError} (install kubectl, or point GROUNDCREW_KUBECTL at it)", VerifyExitCode.UsageOrFlowError);
        if (outcome.TimedOut) throw new ConnectFailure($"{shown}: no answer within {Duration.Format(timeout)}", noAnswerInTime: true);
        if (outcome.ExitCode != 0 && cli.Classify(outcome, shown) is { } failure) throw failure;
        return (new SentRequest("kubectl", string.Join(' ', shown.Split(' ').Skip(1))), ExecProbe.Answer(outcome));
    }

    public static List<string> Arguments(KubeSpec spec, Variables vars)
    {
        var args = new List<string>();
        var resource = vars.Render(spec.Resource);
        switch (spec.Action)
        {
            case KubeAction.Get:
                args.AddRange(["get", resource]);
                if (spec.Selector is { } getSelector) args.AddRange(["-l", vars.Render(getSelector)]);
                args.AddRange(["-o", "json"]);
                break;
            case KubeAction.Logs:
                args.Add("logs");
                if (resource.Length > 0) args.Add(resource);
                // With -l kubectl keeps only the last 10 lines of each pod unless told otherwise.
                if (spec.Selector is { } selector) args.AddRange(["-l", vars.Render(selector), "--tail=-1", "--prefix"]);
                if (spec.Container is { } c) args.AddRange(["-c", vars.Render(c)]);
                else args.Add("--all-containers=true");
                if (spec.Since is { } since) args.Add("--since=" + ((long)Math.Ceiling(Duration.Parse(vars.Render(since), "kube.since").TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s");
                else args.Add("--since-time=" + AwsProbe.FlowStart(vars).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                break;
            default:
                args.AddRange(["exec", resource]);
                if (spec.Container is { } container) args.AddRange(["-c", vars.Render(container)]);
                break;
        }
        if (spec.Namespace is { } ns) args.AddRange(["--namespace", vars.Render(ns)]);
        if (spec.Context is { } context) args.AddRange(["--context", vars.Render(context)]);
        if (spec.Kubeconfig is { } kubeconfig) args.AddRange(["--kubeconfig", vars.Render(kubeconfig)]);
        args.Add("--request-timeout=" + Math.Max(1, (int)spec.TimeoutOrDefault().TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s");
        // Everything after `--` is the pod's command: kubectl's own flags must come before it.
        if (spec.Action == KubeAction.Exec)
        {
            args.Add("--");
            args.AddRange(spec.Command.Select(vars.Render));
        }
        return args;
    }
}

internal static class KubeSpecExtensions
{
    public static TimeSpan TimeoutOrDefault(this KubeSpec spec) =>
        spec.Timeout is { } t && Duration.TryParse(t, out var parsed) ? parsed : StepRunner.DefaultRequestTimeout;
}
